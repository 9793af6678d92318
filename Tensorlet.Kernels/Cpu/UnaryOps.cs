using System.Runtime.Intrinsics;

namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// One element-wise map as a struct with static members, so each generic kernel instantiation is compiled for
/// exactly one op (no per-element switch). α and β arrive as arguments (splatted for the vector form).
/// </summary>
internal interface IUnaryOp
{
    /// <summary>False for ops with no vector form; the kernels then run the scalar form everywhere.</summary>
    static virtual bool Vectorized => true;
    static abstract float Apply(float x, float alpha, float beta);
    static abstract Vector256<float> Apply(Vector256<float> x, Vector256<float> alpha, Vector256<float> beta);
}

internal static class UnaryOps
{
    public struct Neg : IUnaryOp
    {
        public static float Apply(float x, float a, float b) => -x;
        public static Vector256<float> Apply(Vector256<float> x, Vector256<float> a, Vector256<float> b) => -x;
    }

    public struct Exp : IUnaryOp
    {
        public static float Apply(float x, float a, float b) => MathF.Exp(x);
        public static Vector256<float> Apply(Vector256<float> x, Vector256<float> a, Vector256<float> b) => Vector256.Exp(x);
    }

    public struct Log : IUnaryOp
    {
        public static float Apply(float x, float a, float b) => MathF.Log(x);
        public static Vector256<float> Apply(Vector256<float> x, Vector256<float> a, Vector256<float> b) => Vector256.Log(x);
    }

    public struct Sqrt : IUnaryOp
    {
        public static float Apply(float x, float a, float b) => MathF.Sqrt(x);
        public static Vector256<float> Apply(Vector256<float> x, Vector256<float> a, Vector256<float> b) => Vector256.Sqrt(x);
    }

    public struct Abs : IUnaryOp
    {
        public static float Apply(float x, float a, float b) => MathF.Abs(x);
        public static Vector256<float> Apply(Vector256<float> x, Vector256<float> a, Vector256<float> b) => Vector256.Abs(x);
    }

    public struct Relu : IUnaryOp
    {
        public static float Apply(float x, float a, float b) => MathF.Max(x, 0f);
        public static Vector256<float> Apply(Vector256<float> x, Vector256<float> a, Vector256<float> b) => Vector256.Max(x, Vector256<float>.Zero);
    }

    public struct LeakyRelu : IUnaryOp
    {
        public static float Apply(float x, float a, float b) => x > 0f ? x : a * x;
        public static Vector256<float> Apply(Vector256<float> x, Vector256<float> a, Vector256<float> b) =>
            Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x, a * x);
    }

    public struct Sigmoid : IUnaryOp
    {
        public static float Apply(float x, float a, float b) => VectorMath.Sigmoid(x);
        public static Vector256<float> Apply(Vector256<float> x, Vector256<float> a, Vector256<float> b) => VectorMath.Sigmoid(x);
    }

    public struct Tanh : IUnaryOp
    {
        public static float Apply(float x, float a, float b) => MathF.Tanh(x);
        public static Vector256<float> Apply(Vector256<float> x, Vector256<float> a, Vector256<float> b) => VectorMath.Tanh(x);
    }

    public struct Clamp : IUnaryOp
    {
        public static float Apply(float x, float a, float b) => MathF.Min(MathF.Max(x, a), b);
        public static Vector256<float> Apply(Vector256<float> x, Vector256<float> a, Vector256<float> b) => Vector256.Min(Vector256.Max(x, a), b);
    }

    public struct PowScalar : IUnaryOp
    {
        public static bool Vectorized => false;
        public static float Apply(float x, float a, float b) => MathF.Pow(x, a);
        public static Vector256<float> Apply(Vector256<float> x, Vector256<float> a, Vector256<float> b) => throw new NotSupportedException();
    }

    public struct AddScalar : IUnaryOp
    {
        public static float Apply(float x, float a, float b) => x + a;
        public static Vector256<float> Apply(Vector256<float> x, Vector256<float> a, Vector256<float> b) => x + a;
    }

    public struct MulScalar : IUnaryOp
    {
        public static float Apply(float x, float a, float b) => a * x;
        public static Vector256<float> Apply(Vector256<float> x, Vector256<float> a, Vector256<float> b) => a * x;
    }

    public struct Affine : IUnaryOp
    {
        public static float Apply(float x, float a, float b) => a * x + b;
        public static Vector256<float> Apply(Vector256<float> x, Vector256<float> a, Vector256<float> b) => a * x + b;
    }

    public struct Sign : IUnaryOp
    {
        public static float Apply(float x, float a, float b) => x > 0f ? 1f : x < 0f ? -1f : 0f;
        public static Vector256<float> Apply(Vector256<float> x, Vector256<float> a, Vector256<float> b)
        {
            var one = Vector256<float>.One;
            var zero = Vector256<float>.Zero;
            return (Vector256.GreaterThan(x, zero) & one) - (Vector256.LessThan(x, zero) & one);
        }
    }

    public struct Reciprocal : IUnaryOp
    {
        public static float Apply(float x, float a, float b) => 1f / x;
        public static Vector256<float> Apply(Vector256<float> x, Vector256<float> a, Vector256<float> b) => Vector256<float>.One / x;
    }
}
