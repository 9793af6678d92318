using System.Numerics;
using System.Runtime.Intrinsics;

namespace Tensorlet.Kernels.Ops;

// Transcendentals, powers, extrema, comparisons and clamping (with clamp's gradient rule).

/// <summary>y = e^x.</summary>
public readonly struct Exp : IUnaryOp<Exp>
{
    public static T Apply<T>(T x, T alpha, T beta) where T : IFloatingPointIeee754<T> => T.Exp(x);
    public static Vector256<float> ApplyVector(Vector256<float> x, Vector256<float> alpha, Vector256<float> beta) => Vector256.Exp(x);
}

/// <summary>Natural log; log(0) = −∞, log(x &lt; 0) = NaN as in IEEE.</summary>
public readonly struct Log : IUnaryOp<Log>
{
    public static T Apply<T>(T x, T alpha, T beta) where T : IFloatingPointIeee754<T> => T.Log(x);
    public static Vector256<float> ApplyVector(Vector256<float> x, Vector256<float> alpha, Vector256<float> beta) => Vector256.Log(x);
}

/// <summary>y = √x.</summary>
public readonly struct Sqrt : IUnaryOp<Sqrt>
{
    public static T Apply<T>(T x, T alpha, T beta) where T : IFloatingPointIeee754<T> => T.Sqrt(x);
    public static Vector256<float> ApplyVector(Vector256<float> x, Vector256<float> alpha, Vector256<float> beta) => Vector256.Sqrt(x);
}

/// <summary>y = |x|.</summary>
public readonly struct Abs : IUnaryOp<Abs>
{
    public static T Apply<T>(T x, T alpha, T beta) where T : IFloatingPointIeee754<T> => T.Abs(x);
    public static Vector256<float> ApplyVector(Vector256<float> x, Vector256<float> alpha, Vector256<float> beta) => Vector256.Abs(x);
}

/// <summary>y = 1 if x &gt; 0, −1 if x &lt; 0, 0 otherwise (NaN included).</summary>
public readonly struct Sign : IUnaryOp<Sign>
{
    public static T Apply<T>(T x, T alpha, T beta) where T : IFloatingPointIeee754<T> =>
        x > T.Zero ? T.One : x < T.Zero ? -T.One : T.Zero;

    public static Vector256<float> ApplyVector(Vector256<float> x, Vector256<float> alpha, Vector256<float> beta)
    {
        var one = Vector256<float>.One;
        var zero = Vector256<float>.Zero;
        return (Vector256.GreaterThan(x, zero) & one) - (Vector256.LessThan(x, zero) & one);
    }
}

/// <summary>y = x^α (no vector form: pow is rarely hot).</summary>
public readonly struct PowScalar : IUnaryOp<PowScalar>
{
    public static T Apply<T>(T x, T alpha, T beta) where T : IFloatingPointIeee754<T> => ScalarMath.Pow(x, alpha);
}

/// <summary>y = min(max(x, α), β).</summary>
public readonly struct Clamp : IUnaryOp<Clamp>
{
    public static T Apply<T>(T x, T alpha, T beta) where T : IFloatingPointIeee754<T> =>
        ScalarMath.Minimum(ScalarMath.Maximum(x, alpha), beta);

    public static Vector256<float> ApplyVector(Vector256<float> x, Vector256<float> alpha, Vector256<float> beta) =>
        Vector256.Min(Vector256.Max(x, alpha), beta);
}

/// <summary>Clamp's gradient: z = a if α ≤ b ≤ β else 0, b the clamp input.</summary>
public readonly struct ClampBackward : IBinaryOp<ClampBackward>
{
    public static T Apply<T>(T a, T b, T alpha, T beta) where T : IFloatingPointIeee754<T> =>
        alpha <= b && b <= beta ? a : T.Zero;

    public static Vector256<float> ApplyVector(Vector256<float> a, Vector256<float> b, Vector256<float> alpha, Vector256<float> beta) =>
        Vector256.LessThanOrEqual(alpha, b) & Vector256.LessThanOrEqual(b, beta) & a;
}

/// <summary>z = a^b (no vector form).</summary>
public readonly struct Pow : IBinaryOp<Pow>
{
    public static T Apply<T>(T a, T b, T alpha, T beta) where T : IFloatingPointIeee754<T> => ScalarMath.Pow(a, b);
}

/// <summary>z = max(a, b), NaN if either is NaN (torch.maximum).</summary>
public readonly struct Maximum : IBinaryOp<Maximum>
{
    public static T Apply<T>(T a, T b, T alpha, T beta) where T : IFloatingPointIeee754<T> => ScalarMath.Maximum(a, b);
    public static Vector256<float> ApplyVector(Vector256<float> a, Vector256<float> b, Vector256<float> alpha, Vector256<float> beta) => Vector256.Max(a, b);
}

/// <summary>z = min(a, b), NaN if either is NaN (torch.minimum).</summary>
public readonly struct Minimum : IBinaryOp<Minimum>
{
    public static T Apply<T>(T a, T b, T alpha, T beta) where T : IFloatingPointIeee754<T> => ScalarMath.Minimum(a, b);
    public static Vector256<float> ApplyVector(Vector256<float> a, Vector256<float> b, Vector256<float> alpha, Vector256<float> beta) => Vector256.Min(a, b);
}

/// <summary>z = 1 if a == b else 0.</summary>
public readonly struct Equal : IBinaryOp<Equal>
{
    public static T Apply<T>(T a, T b, T alpha, T beta) where T : IFloatingPointIeee754<T> => a == b ? T.One : T.Zero;
    public static Vector256<float> ApplyVector(Vector256<float> a, Vector256<float> b, Vector256<float> alpha, Vector256<float> beta) =>
        Vector256.Equals(a, b) & Vector256<float>.One;
}

/// <summary>z = 1 if a &gt; b else 0.</summary>
public readonly struct Greater : IBinaryOp<Greater>
{
    public static T Apply<T>(T a, T b, T alpha, T beta) where T : IFloatingPointIeee754<T> => a > b ? T.One : T.Zero;
    public static Vector256<float> ApplyVector(Vector256<float> a, Vector256<float> b, Vector256<float> alpha, Vector256<float> beta) =>
        Vector256.GreaterThan(a, b) & Vector256<float>.One;
}
