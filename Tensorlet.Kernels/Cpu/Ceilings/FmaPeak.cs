using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// The machine's FP32 fused-multiply-add ceiling: 12 independent accumulator chains per thread (more than FMA
/// latency × throughput, 4 × 2 on Zen 4) and nothing but FMAs in the loop. This is the figure GEMM and convolution
/// efficiency are quoted against.
/// </summary>
public static class FmaPeak
{
    /// <summary>Independent FMA chains per thread.</summary>
    public const int Chains = 12;

    /// <summary>FLOPs of one loop iteration of <see cref="Chains512"/> (of <see cref="Chains256"/>: half).</summary>
    public const int FlopsPerIteration512 = 2 * Chains * 16;

    /// <summary>
    /// Best GFLOP/s of <paramref name="repeats"/> bursts of <paramref name="iterations"/> loop iterations on each of
    /// <paramref name="threads"/> threads, on the widest vectors the CPU runs natively. The best of several short bursts,
    /// so a moment when another process held a core does not lower the ceiling.
    /// </summary>
    public static double Measure(int threads, long iterations = 4_000_000, int repeats = 10)
    {
        bool wide = Vector512.IsHardwareAccelerated;
        double flops = (double)iterations * threads * (wide ? FlopsPerIteration512 : FlopsPerIteration512 / 2);
        var sink = new float[threads];
        double best = double.MaxValue;
        for (int r = 0; r < repeats; r++)
            best = Math.Min(best, ProbeThreads.Time(threads, t => sink[t] = wide ? Chains512(iterations) : Chains256(iterations)));
        GC.KeepAlive(sink);
        return flops / best / 1e9;
    }

    // Multiplier just below 1 and addend keep the values finite and normal for any iteration count.

    /// <summary>12 chains of 256-bit FMAs, <paramref name="iterations"/> times: 192 FLOPs per iteration.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static float Chains256(long iterations)
    {
        var x = Vector256.Create(0.999999f);
        var y = Vector256.Create(1e-3f);
        Vector256<float> a0 = x, a1 = x, a2 = x, a3 = x, a4 = x, a5 = x, a6 = x, a7 = x, a8 = x, a9 = x, a10 = x, a11 = x;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, x, y); a1 = Vector256.FusedMultiplyAdd(a1, x, y);
            a2 = Vector256.FusedMultiplyAdd(a2, x, y); a3 = Vector256.FusedMultiplyAdd(a3, x, y);
            a4 = Vector256.FusedMultiplyAdd(a4, x, y); a5 = Vector256.FusedMultiplyAdd(a5, x, y);
            a6 = Vector256.FusedMultiplyAdd(a6, x, y); a7 = Vector256.FusedMultiplyAdd(a7, x, y);
            a8 = Vector256.FusedMultiplyAdd(a8, x, y); a9 = Vector256.FusedMultiplyAdd(a9, x, y);
            a10 = Vector256.FusedMultiplyAdd(a10, x, y); a11 = Vector256.FusedMultiplyAdd(a11, x, y);
        }
        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    /// <summary>12 chains of 512-bit FMAs, <paramref name="iterations"/> times: 384 FLOPs per iteration.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static float Chains512(long iterations)
    {
        var x = Vector512.Create(0.999999f);
        var y = Vector512.Create(1e-3f);
        Vector512<float> a0 = x, a1 = x, a2 = x, a3 = x, a4 = x, a5 = x, a6 = x, a7 = x, a8 = x, a9 = x, a10 = x, a11 = x;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, x, y); a1 = Vector512.FusedMultiplyAdd(a1, x, y);
            a2 = Vector512.FusedMultiplyAdd(a2, x, y); a3 = Vector512.FusedMultiplyAdd(a3, x, y);
            a4 = Vector512.FusedMultiplyAdd(a4, x, y); a5 = Vector512.FusedMultiplyAdd(a5, x, y);
            a6 = Vector512.FusedMultiplyAdd(a6, x, y); a7 = Vector512.FusedMultiplyAdd(a7, x, y);
            a8 = Vector512.FusedMultiplyAdd(a8, x, y); a9 = Vector512.FusedMultiplyAdd(a9, x, y);
            a10 = Vector512.FusedMultiplyAdd(a10, x, y); a11 = Vector512.FusedMultiplyAdd(a11, x, y);
        }
        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }
}
