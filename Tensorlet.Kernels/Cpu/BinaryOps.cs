using System.Runtime.Intrinsics;

namespace Tensorlet.Kernels.Cpu;

/// <summary>A two-input element-wise op as a struct with static members (see <see cref="IUnaryOp"/>).</summary>
internal interface IBinaryOp
{
    static virtual bool Vectorized => true;
    static abstract float Apply(float a, float b, float alpha, float beta);
    static abstract Vector256<float> Apply(Vector256<float> a, Vector256<float> b, Vector256<float> alpha, Vector256<float> beta);
}

internal static class BinaryOps
{
    public struct Add : IBinaryOp
    {
        public static float Apply(float a, float b, float al, float be) => a + b;
        public static Vector256<float> Apply(Vector256<float> a, Vector256<float> b, Vector256<float> al, Vector256<float> be) => a + b;
    }

    public struct Sub : IBinaryOp
    {
        public static float Apply(float a, float b, float al, float be) => a - b;
        public static Vector256<float> Apply(Vector256<float> a, Vector256<float> b, Vector256<float> al, Vector256<float> be) => a - b;
    }

    public struct Mul : IBinaryOp
    {
        public static float Apply(float a, float b, float al, float be) => a * b;
        public static Vector256<float> Apply(Vector256<float> a, Vector256<float> b, Vector256<float> al, Vector256<float> be) => a * b;
    }

    public struct Div : IBinaryOp
    {
        public static float Apply(float a, float b, float al, float be) => a / b;
        public static Vector256<float> Apply(Vector256<float> a, Vector256<float> b, Vector256<float> al, Vector256<float> be) => a / b;
    }

    public struct Pow : IBinaryOp
    {
        public static bool Vectorized => false;
        public static float Apply(float a, float b, float al, float be) => MathF.Pow(a, b);
        public static Vector256<float> Apply(Vector256<float> a, Vector256<float> b, Vector256<float> al, Vector256<float> be) => throw new NotSupportedException();
    }

    public struct Maximum : IBinaryOp
    {
        public static float Apply(float a, float b, float al, float be) => MathF.Max(a, b);
        public static Vector256<float> Apply(Vector256<float> a, Vector256<float> b, Vector256<float> al, Vector256<float> be) => Vector256.Max(a, b);
    }

    public struct Minimum : IBinaryOp
    {
        public static float Apply(float a, float b, float al, float be) => MathF.Min(a, b);
        public static Vector256<float> Apply(Vector256<float> a, Vector256<float> b, Vector256<float> al, Vector256<float> be) => Vector256.Min(a, b);
    }

    public struct AddScaled : IBinaryOp
    {
        public static float Apply(float a, float b, float al, float be) => a + al * b;
        public static Vector256<float> Apply(Vector256<float> a, Vector256<float> b, Vector256<float> al, Vector256<float> be) => a + al * b;
    }

    public struct Equal : IBinaryOp
    {
        public static float Apply(float a, float b, float al, float be) => a == b ? 1f : 0f;
        public static Vector256<float> Apply(Vector256<float> a, Vector256<float> b, Vector256<float> al, Vector256<float> be) =>
            Vector256.Equals(a, b) & Vector256<float>.One;
    }

    public struct Greater : IBinaryOp
    {
        public static float Apply(float a, float b, float al, float be) => a > b ? 1f : 0f;
        public static Vector256<float> Apply(Vector256<float> a, Vector256<float> b, Vector256<float> al, Vector256<float> be) =>
            Vector256.GreaterThan(a, b) & Vector256<float>.One;
    }

    public struct ReluBackward : IBinaryOp
    {
        public static float Apply(float a, float b, float al, float be) => b > 0f ? a : 0f;
        public static Vector256<float> Apply(Vector256<float> a, Vector256<float> b, Vector256<float> al, Vector256<float> be) =>
            Vector256.GreaterThan(b, Vector256<float>.Zero) & a;
    }

    public struct LeakyReluBackward : IBinaryOp
    {
        public static float Apply(float a, float b, float al, float be) => b > 0f ? a : al * a;
        public static Vector256<float> Apply(Vector256<float> a, Vector256<float> b, Vector256<float> al, Vector256<float> be) =>
            Vector256.ConditionalSelect(Vector256.GreaterThan(b, Vector256<float>.Zero), a, al * a);
    }

    public struct SigmoidBackward : IBinaryOp
    {
        public static float Apply(float a, float b, float al, float be) => a * b * (1f - b);
        public static Vector256<float> Apply(Vector256<float> a, Vector256<float> b, Vector256<float> al, Vector256<float> be) =>
            a * b * (Vector256<float>.One - b);
    }

    // (1 − b)(1 + b) rather than 1 − b²: for b near ±1, 1 − b is exact and b² would lose the low bits.
    public struct TanhBackward : IBinaryOp
    {
        public static float Apply(float a, float b, float al, float be) => a * ((1f - b) * (1f + b));
        public static Vector256<float> Apply(Vector256<float> a, Vector256<float> b, Vector256<float> al, Vector256<float> be) =>
            a * ((Vector256<float>.One - b) * (Vector256<float>.One + b));
    }

    public struct ClampBackward : IBinaryOp
    {
        public static float Apply(float a, float b, float al, float be) => al <= b && b <= be ? a : 0f;
        public static Vector256<float> Apply(Vector256<float> a, Vector256<float> b, Vector256<float> al, Vector256<float> be) =>
            Vector256.LessThanOrEqual(al, b) & Vector256.LessThanOrEqual(b, be) & a;
    }
}
