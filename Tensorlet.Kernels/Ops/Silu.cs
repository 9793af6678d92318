using System.Numerics;
using System.Runtime.Intrinsics;
using Tensorlet.Kernels.Cpu;

namespace Tensorlet.Kernels.Ops;

/// <summary>
/// y = x·σ(x) (SiLU, swish with β = 1). σ comes from the overflow-free form, so silu(100) = 100 and silu(−100) = −0,
/// never NaN (x·e^x/(1 + e^x) would give ∞/∞ past x ≈ 88.7).
/// </summary>
public readonly struct Silu : IUnaryOp<Silu>
{
    public static T Apply<T>(T x, T alpha, T beta) where T : IFloatingPointIeee754<T> => x * ScalarMath.Sigmoid(x);
    public static Vector256<float> ApplyVector(Vector256<float> x, Vector256<float> alpha, Vector256<float> beta) => x * VectorMath.Sigmoid(x);
}

/// <summary>SiLU's gradient: z = a·σ(b)·(1 + b·(1 − σ(b))), b the SiLU input x; silu'(0) = 0.5.</summary>
public readonly struct SiluBackward : IBinaryOp<SiluBackward>
{
    public static T Apply<T>(T a, T b, T alpha, T beta) where T : IFloatingPointIeee754<T>
    {
        T s = ScalarMath.Sigmoid(b);
        return a * s * (T.One + b * (T.One - s));
    }

    public static Vector256<float> ApplyVector(Vector256<float> a, Vector256<float> b, Vector256<float> alpha, Vector256<float> beta)
    {
        var s = VectorMath.Sigmoid(b);
        return a * s * (Vector256<float>.One + b * (Vector256<float>.One - s));
    }
}
