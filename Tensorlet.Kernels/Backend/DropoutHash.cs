namespace Tensorlet.Kernels;

/// <summary>
/// The counter-based random numbers behind dropout masks: element i of a mask drawn with seed s is decided by
/// output number i + 1 of SplitMix64 started at s, computed directly as mix(s + (i + 1)·φ). No state is carried from
/// one element to the next, so any thread (or GPU lane) computes any element, and every device gives the same mask.
/// </summary>
public static class DropoutHash
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    /// <summary>64 random bits for element <paramref name="counter"/> of the stream <paramref name="seed"/>.</summary>
    public static ulong Bits(ulong seed, ulong counter)
    {
        ulong z = seed + (counter + 1) * Golden;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) on the 2⁻²⁴ grid (exact in float32, so u ≥ p means the same on every device).</summary>
    /// <remarks>
    /// The 24 bits go through <c>int</c>: C# converts a <c>ulong</c> to <c>float</c> by way of <c>double</c>, which an
    /// OpenCL device without <c>cl_khr_fp64</c> cannot compile (the GPU compile test checks this).
    /// </remarks>
    public static float Uniform(ulong seed, ulong counter) => (int)(Bits(seed, counter) >> 40) * (1f / (1 << 24));

    /// <summary>The mask value: <paramref name="scale"/> (= 1/(1 − p)) when the element is kept, else 0.</summary>
    public static float Mask(float p, float scale, ulong seed, ulong counter) => Uniform(seed, counter) >= p ? scale : 0f;
}
