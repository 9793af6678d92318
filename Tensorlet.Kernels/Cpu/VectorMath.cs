using System.Runtime.Intrinsics;

namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// Transcendentals the runtime does not vectorise. Exp and Log come from <see cref="Vector256"/> itself
/// (measured: ≤ 2e-7 relative error over [−88, 88] and (0, 1000]).
/// </summary>
internal static class VectorMath
{
    // Odd Taylor coefficients of tanh; below |x| = 0.4 the series to x^13 is within 1e-7 relative.
    private const float T3 = -1f / 3f, T5 = 2f / 15f, T7 = -17f / 315f, T9 = 62f / 2835f,
                        T11 = -1382f / 155925f, T13 = 21844f / 6081075f;
    private const float SmallTanh = 0.4f;

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
