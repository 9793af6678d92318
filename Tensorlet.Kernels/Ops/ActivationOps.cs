using System.Numerics;
using System.Runtime.Intrinsics;
using Tensorlet.Kernels.Cpu;

namespace Tensorlet.Kernels.Ops;

// The activations, each next to its fused gradient rule (a = upstream gradient, b = the saved tensor named).

/// <summary>y = max(x, 0).</summary>
public readonly struct Relu : IUnaryOp<Relu>
{
    public static T Apply<T>(T x, T alpha, T beta) where T : IFloatingPointIeee754<T> => ScalarMath.Maximum(x, T.Zero);
    public static Vector256<float> ApplyVector(Vector256<float> x, Vector256<float> alpha, Vector256<float> beta) => Vector256.Max(x, Vector256<float>.Zero);
}

/// <summary>ReLU's gradient: z = a if b (the input x) &gt; 0 else 0; relu'(0) = 0.</summary>
public readonly struct ReluBackward : IBinaryOp<ReluBackward>
{
    public static T Apply<T>(T a, T b, T alpha, T beta) where T : IFloatingPointIeee754<T> => b > T.Zero ? a : T.Zero;
    public static Vector256<float> ApplyVector(Vector256<float> a, Vector256<float> b, Vector256<float> alpha, Vector256<float> beta) =>
        Vector256.GreaterThan(b, Vector256<float>.Zero) & a;
}

/// <summary>z = max(a + b, 0): a residual block's addition and ReLU in one pass, so the sum is never written.</summary>
public readonly struct AddRelu : IBinaryOp<AddRelu>
{
    public static T Apply<T>(T a, T b, T alpha, T beta) where T : IFloatingPointIeee754<T> => ScalarMath.Maximum(a + b, T.Zero);
    public static Vector256<float> ApplyVector(Vector256<float> a, Vector256<float> b, Vector256<float> alpha, Vector256<float> beta) =>
        Vector256.Max(a + b, Vector256<float>.Zero);
}

/// <summary>y = x if x &gt; 0 else α·x.</summary>
public readonly struct LeakyRelu : IUnaryOp<LeakyRelu>
{
    public static T Apply<T>(T x, T alpha, T beta) where T : IFloatingPointIeee754<T> => x > T.Zero ? x : alpha * x;
    public static Vector256<float> ApplyVector(Vector256<float> x, Vector256<float> alpha, Vector256<float> beta) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x, alpha * x);
}

/// <summary>Leaky ReLU's gradient: z = a if b (the input x) &gt; 0 else α·a; leaky_relu'(0) = α.</summary>
public readonly struct LeakyReluBackward : IBinaryOp<LeakyReluBackward>
{
    public static T Apply<T>(T a, T b, T alpha, T beta) where T : IFloatingPointIeee754<T> => b > T.Zero ? a : alpha * a;
    public static Vector256<float> ApplyVector(Vector256<float> a, Vector256<float> b, Vector256<float> alpha, Vector256<float> beta) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(b, Vector256<float>.Zero), a, alpha * a);
}

/// <summary>y = σ(x) = 1 / (1 + e^−x), stable for large |x|.</summary>
public readonly struct Sigmoid : IUnaryOp<Sigmoid>
{
    public static T Apply<T>(T x, T alpha, T beta) where T : IFloatingPointIeee754<T> => ScalarMath.Sigmoid(x);
    public static Vector256<float> ApplyVector(Vector256<float> x, Vector256<float> alpha, Vector256<float> beta) => VectorMath.Sigmoid(x);
}

/// <summary>Sigmoid's gradient: z = a·b·(1 − b), b the sigmoid output.</summary>
public readonly struct SigmoidBackward : IBinaryOp<SigmoidBackward>
{
    public static T Apply<T>(T a, T b, T alpha, T beta) where T : IFloatingPointIeee754<T> => a * b * (T.One - b);
    public static Vector256<float> ApplyVector(Vector256<float> a, Vector256<float> b, Vector256<float> alpha, Vector256<float> beta) =>
        a * b * (Vector256<float>.One - b);
}

/// <summary>y = tanh x.</summary>
public readonly struct Tanh : IUnaryOp<Tanh>
{
    public static T Apply<T>(T x, T alpha, T beta) where T : IFloatingPointIeee754<T> => T.Tanh(x);
    public static Vector256<float> ApplyVector(Vector256<float> x, Vector256<float> alpha, Vector256<float> beta) => VectorMath.Tanh(x);
}

/// <summary>
/// Tanh's gradient: z = a·(1 − b²), b the tanh output, computed as (1 − b)(1 + b): for b near ±1, 1 − b is exact and b²
/// would lose the low bits.
/// </summary>
public readonly struct TanhBackward : IBinaryOp<TanhBackward>
{
    public static T Apply<T>(T a, T b, T alpha, T beta) where T : IFloatingPointIeee754<T> => a * ((T.One - b) * (T.One + b));
    public static Vector256<float> ApplyVector(Vector256<float> a, Vector256<float> b, Vector256<float> alpha, Vector256<float> beta) =>
        a * ((Vector256<float>.One - b) * (Vector256<float>.One + b));
}
