using System.Numerics;

namespace Tensorlet.Kernels.Ops;

/// <summary>
/// Scalar helpers the op definitions share, written so that they mean the same in float on ILGPU (whose own max, min
/// and pow differ from .NET's on NaN and negative bases) as in float and double on the CPU.
/// </summary>
public static class ScalarMath
{
    /// <summary>σ(x) from e = e^{−|x|} ∈ (0, 1], which never overflows; the x &lt; 0 branch keeps full relative accuracy far into the tail.</summary>
    public static T Sigmoid<T>(T x) where T : IFloatingPointIeee754<T>
    {
        T e = T.Exp(-T.Abs(x));
        T s = T.One / (T.One + e);
        return x < T.Zero ? e * s : s;
    }

    /// <summary>IEEE pow as MathF.Pow: a negative base with an integral exponent keeps its sign (exp·log would give NaN).</summary>
    public static T Pow<T>(T a, T b) where T : IFloatingPointIeee754<T>
    {
        if (b == T.Zero) return T.One;
        if (a >= T.Zero || T.IsNaN(a)) return T.Pow(a, b);
        T whole = T.Floor(b);
        if (whole != b) return T.NaN;
        T magnitude = T.Pow(-a, b);
        return T.Abs(whole % (T.One + T.One)) == T.One ? -magnitude : magnitude;
    }

    /// <summary>NaN-propagating maximum, as torch.maximum.</summary>
    public static T Maximum<T>(T a, T b) where T : IFloatingPointIeee754<T> =>
        T.IsNaN(a) || T.IsNaN(b) ? T.NaN : a > b ? a : b;

    /// <summary>NaN-propagating minimum, as torch.minimum.</summary>
    public static T Minimum<T>(T a, T b) where T : IFloatingPointIeee754<T> =>
        T.IsNaN(a) || T.IsNaN(b) ? T.NaN : a < b ? a : b;
}
