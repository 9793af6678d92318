using System.Runtime.Intrinsics;

namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// Transcendentals the runtime does not vectorise. Exp and Log come from <see cref="Vector256"/> itself
/// (measured: ≤ 2e-7 relative error over [−88, 88] and (0, 1000]), except in softmax's rows, which use
/// <see cref="ExpUpTo88(Vector512{float})"/>: the runtime's exp goes through doubles, and softmax is mostly exps.
/// </summary>
internal static class VectorMath
{
    // Odd Taylor coefficients of tanh; below |x| = 0.4 the series to x^13 is within 1e-7 relative.
    private const float T3 = -1f / 3f, T5 = 2f / 15f, T7 = -17f / 315f, T9 = 62f / 2835f,
                        T11 = -1382f / 155925f, T13 = 21844f / 6081075f;
    private const float SmallTanh = 0.4f;

    // e^x = 2^n·e^r with n = round(x·log2 e) and r = x − n·ln 2 in [−ln2/2, ln2/2]; ln 2 is split in two (Cody–Waite)
    // so n·Ln2Hi is exact. e^r is its Taylor series to r^7: the first term left out is under 6e−9 relative.
    private const float Log2E = 1.44269504f, Ln2Hi = 0.693359375f, Ln2Lo = -2.12194440e-4f;
    private const float C2 = 1f / 2, C3 = 1f / 6, C4 = 1f / 24, C5 = 1f / 120, C6 = 1f / 720, C7 = 1f / 5040;

    /// <summary>Below this e^x is under float's smallest normal (2^−126) and is returned as 0.</summary>
    public const float ExpFloor = -87.33654f;

    /// <summary>Above this the fast exp's 2^n no longer fits in a float's exponent: callers use the runtime's exp.</summary>
    public const float ExpCeiling = 88f;

    /// <summary>
    /// e^x in float arithmetic, for x ≤ <see cref="ExpCeiling"/> (measured: ≤ 8e−8 relative error over [−87.3, 0]); 0
    /// below <see cref="ExpFloor"/> (so −∞ gives 0) and NaN for NaN.
    /// </summary>
    public static Vector512<float> ExpUpTo88(Vector512<float> x)
    {
        var n = Vector512.Round(x * Vector512.Create(Log2E));
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Hi), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Lo), r);
        var p = Vector512.FusedMultiplyAdd(Vector512.Create(C7), r, Vector512.Create(C6));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(C5));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(C4));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(C3));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(C2));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
        var twoToN = Vector512.ShiftLeft(Vector512.ConvertToInt32(n) + Vector512.Create(127), 23).AsSingle();
        return Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(ExpFloor)), Vector512<float>.Zero, p * twoToN);
    }

    /// <summary>The Vector256 form of <see cref="ExpUpTo88(Vector512{float})"/>, the same arithmetic per lane.</summary>
    public static Vector256<float> ExpUpTo88(Vector256<float> x)
    {
        var n = Vector256.Round(x * Vector256.Create(Log2E));
        var r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Hi), x);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Lo), r);
        var p = Vector256.FusedMultiplyAdd(Vector256.Create(C7), r, Vector256.Create(C6));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(C5));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(C4));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(C3));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(C2));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<float>.One);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<float>.One);
        var twoToN = Vector256.ShiftLeft(Vector256.ConvertToInt32(n) + Vector256.Create(127), 23).AsSingle();
        return Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(ExpFloor)), Vector256<float>.Zero, p * twoToN);
    }

    /// <summary>
    /// tanh(x) = sign(x)·(1 − e^{−2|x|})/(1 + e^{−2|x|}), which saturates cleanly for large |x| (e → 0). Near 0 the
    /// numerator cancels (1 − e loses digits), so |x| &lt; 0.4 uses the Taylor series instead, which is exact
    /// to float precision there.
    /// </summary>
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        var ax = Vector256.Abs(x);
        var e = Vector256.Exp(ax * Vector256.Create(-2f));
        var one = Vector256<float>.One;
        var big = Vector256.CopySign((one - e) / (one + e), x);
        var x2 = x * x;
        var p = Vector256.Create(T13);
        p = p * x2 + Vector256.Create(T11);
        p = p * x2 + Vector256.Create(T9);
        p = p * x2 + Vector256.Create(T7);
        p = p * x2 + Vector256.Create(T5);
        p = p * x2 + Vector256.Create(T3);
        var small = x + x * x2 * p;
        return Vector256.ConditionalSelect(Vector256.LessThan(ax, Vector256.Create(SmallTanh)), small, big);
    }

    /// <summary>
    /// σ(x) from e = e^{−|x|} ∈ (0, 1], which never overflows: σ = 1/(1 + e) for x ≥ 0 and e/(1 + e) for x &lt; 0.
    /// The second form keeps full relative accuracy far into the negative tail (σ(−100) ≈ 3.8e−44, not 0). The scalar
    /// form is <see cref="Ops.ScalarMath.Sigmoid{T}"/>, the same formula.
    /// </summary>
    public static Vector256<float> Sigmoid(Vector256<float> x)
    {
        var e = Vector256.Exp(-Vector256.Abs(x));
        var s = Vector256<float>.One / (Vector256<float>.One + e);
        return Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), e * s, s);
    }
}
