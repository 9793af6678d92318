using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// The machine's FP32 fused-multiply-add ceiling: nothing but FMAs, on the widest vectors the CPU runs natively, with
/// 16 independent accumulator chains per thread — twice what two FMA pipes of 4-cycle latency need (Zen 5 and recent
/// Intel have two 512-bit pipes), so no pipe ever waits on a chain. This is the figure GEMM and convolution efficiency
/// are quoted against, so it must be the true ceiling in every process: the loops are compiled fully optimised on first
/// call (never the unoptimised first tier, whose spills halve them), and a short untimed burst runs before timing.
/// </summary>
public static class FmaPeak
{
    /// <summary>Independent FMA chains per thread.</summary>
    public const int Chains = 16;

    /// <summary>Width in bits of the vectors the probe uses: 512, 256 or 128, the widest the CPU accelerates.</summary>
    public static int VectorBits { get; } =
        Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 128;

    /// <summary>FLOPs of one loop iteration on <paramref name="bits"/>-bit vectors (an FMA on one float counts 2).</summary>
    public static int FlopsPerIteration(int bits) => 2 * Chains * (bits / 32);

    /// <summary>
    /// Best GFLOP/s of <paramref name="repeats"/> bursts of <paramref name="iterations"/> loop iterations on each of
    /// <paramref name="threads"/> threads (one per core), on <see cref="VectorBits"/>-bit vectors. The best of several
    /// short bursts, so a moment when another process held a core does not lower the ceiling.
    /// </summary>
    public static double Measure(int threads, long iterations = 4_000_000, int repeats = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        var sink = new float[threads];
        ProbeThreads.Time(threads, t => sink[t] = Run(Math.Min(iterations, 100_000)));
        double best = double.MaxValue;
        for (int r = 0; r < repeats; r++) best = Math.Min(best, ProbeThreads.Time(threads, t => sink[t] = Run(iterations)));
        GC.KeepAlive(sink);
        return (double)iterations * threads * FlopsPerIteration(VectorBits) / best / 1e9;
    }

    /// <summary>
    /// The FMA rate the machine gives at this moment, measured the way a benchmark measures a case: the median GFLOP/s of
    /// bursts about <paramref name="burstSeconds"/> long, repeated for <paramref name="windowSeconds"/> (at least five). A
    /// case's median run compared with <see cref="Measure"/>'s best burst counts every dip of a shared host's clock
    /// against the case alone; compared with this, taken right beside it with runs as long as its own, the two figures
    /// see the same machine. It is no ceiling — a case's own median can pass it by the noise — so it serves to judge
    /// efficiency, never to cap a figure.
    /// </summary>
    public static double MeasureTypical(int threads, double burstSeconds, double windowSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burstSeconds);
        ArgumentOutOfRangeException.ThrowIfNegative(windowSeconds);
        var sink = new float[threads];
        const long calibration = 200_000;
        double seconds = ProbeThreads.Time(threads, t => sink[t] = Run(calibration));
        long iterations = IterationsFor(calibration / seconds, burstSeconds);
        var rates = new List<double>();
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        while (rates.Count < 5 || System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds < windowSeconds)
            rates.Add((double)iterations * threads * FlopsPerIteration(VectorBits) / ProbeThreads.Time(threads, t => sink[t] = Run(iterations)) / 1e9);
        GC.KeepAlive(sink);
        rates.Sort();
        return rates.Count % 2 == 1 ? rates[rates.Count / 2] : (rates[rates.Count / 2 - 1] + rates[rates.Count / 2]) / 2;
    }

    /// <summary>Loop iterations that take about <paramref name="seconds"/> at <paramref name="iterationsPerSecond"/>, at least 10,000.</summary>
    internal static long IterationsFor(double iterationsPerSecond, double seconds) =>
        Math.Max(10_000, (long)Math.Min(iterationsPerSecond * seconds, 1e12));

    private static float Run(long iterations) => VectorBits switch
    {
        512 => Chains512(iterations),
        256 => Chains256(iterations),
        _ => Chains128(iterations),
    };

    // Multiplier just below 1 and addend keep the values finite and normal for any iteration count.

    /// <summary><see cref="Chains"/> chains of 512-bit FMAs, <paramref name="iterations"/> times.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static float Chains512(long iterations)
    {
        var x = Vector512.Create(0.999999f);
        var y = Vector512.Create(1e-3f);
        Vector512<float> a0 = x, a1 = x, a2 = x, a3 = x, a4 = x, a5 = x, a6 = x, a7 = x;
        Vector512<float> a8 = x, a9 = x, a10 = x, a11 = x, a12 = x, a13 = x, a14 = x, a15 = x;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, x, y); a1 = Vector512.FusedMultiplyAdd(a1, x, y);
            a2 = Vector512.FusedMultiplyAdd(a2, x, y); a3 = Vector512.FusedMultiplyAdd(a3, x, y);
            a4 = Vector512.FusedMultiplyAdd(a4, x, y); a5 = Vector512.FusedMultiplyAdd(a5, x, y);
            a6 = Vector512.FusedMultiplyAdd(a6, x, y); a7 = Vector512.FusedMultiplyAdd(a7, x, y);
            a8 = Vector512.FusedMultiplyAdd(a8, x, y); a9 = Vector512.FusedMultiplyAdd(a9, x, y);
            a10 = Vector512.FusedMultiplyAdd(a10, x, y); a11 = Vector512.FusedMultiplyAdd(a11, x, y);
            a12 = Vector512.FusedMultiplyAdd(a12, x, y); a13 = Vector512.FusedMultiplyAdd(a13, x, y);
            a14 = Vector512.FusedMultiplyAdd(a14, x, y); a15 = Vector512.FusedMultiplyAdd(a15, x, y);
        }
        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11 + a12 + a13 + a14 + a15);
    }

    /// <summary><see cref="Chains"/> chains of 256-bit FMAs, <paramref name="iterations"/> times.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static float Chains256(long iterations)
    {
        var x = Vector256.Create(0.999999f);
        var y = Vector256.Create(1e-3f);
        Vector256<float> a0 = x, a1 = x, a2 = x, a3 = x, a4 = x, a5 = x, a6 = x, a7 = x;
        Vector256<float> a8 = x, a9 = x, a10 = x, a11 = x, a12 = x, a13 = x, a14 = x, a15 = x;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, x, y); a1 = Vector256.FusedMultiplyAdd(a1, x, y);
            a2 = Vector256.FusedMultiplyAdd(a2, x, y); a3 = Vector256.FusedMultiplyAdd(a3, x, y);
            a4 = Vector256.FusedMultiplyAdd(a4, x, y); a5 = Vector256.FusedMultiplyAdd(a5, x, y);
            a6 = Vector256.FusedMultiplyAdd(a6, x, y); a7 = Vector256.FusedMultiplyAdd(a7, x, y);
            a8 = Vector256.FusedMultiplyAdd(a8, x, y); a9 = Vector256.FusedMultiplyAdd(a9, x, y);
            a10 = Vector256.FusedMultiplyAdd(a10, x, y); a11 = Vector256.FusedMultiplyAdd(a11, x, y);
            a12 = Vector256.FusedMultiplyAdd(a12, x, y); a13 = Vector256.FusedMultiplyAdd(a13, x, y);
            a14 = Vector256.FusedMultiplyAdd(a14, x, y); a15 = Vector256.FusedMultiplyAdd(a15, x, y);
        }
        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11 + a12 + a13 + a14 + a15);
    }

    /// <summary><see cref="Chains"/> chains of 128-bit FMAs (Arm64's NEON, x64 without AVX2), <paramref name="iterations"/> times.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static float Chains128(long iterations)
    {
        var x = Vector128.Create(0.999999f);
        var y = Vector128.Create(1e-3f);
        Vector128<float> a0 = x, a1 = x, a2 = x, a3 = x, a4 = x, a5 = x, a6 = x, a7 = x;
        Vector128<float> a8 = x, a9 = x, a10 = x, a11 = x, a12 = x, a13 = x, a14 = x, a15 = x;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector128.FusedMultiplyAdd(a0, x, y); a1 = Vector128.FusedMultiplyAdd(a1, x, y);
            a2 = Vector128.FusedMultiplyAdd(a2, x, y); a3 = Vector128.FusedMultiplyAdd(a3, x, y);
            a4 = Vector128.FusedMultiplyAdd(a4, x, y); a5 = Vector128.FusedMultiplyAdd(a5, x, y);
            a6 = Vector128.FusedMultiplyAdd(a6, x, y); a7 = Vector128.FusedMultiplyAdd(a7, x, y);
            a8 = Vector128.FusedMultiplyAdd(a8, x, y); a9 = Vector128.FusedMultiplyAdd(a9, x, y);
            a10 = Vector128.FusedMultiplyAdd(a10, x, y); a11 = Vector128.FusedMultiplyAdd(a11, x, y);
            a12 = Vector128.FusedMultiplyAdd(a12, x, y); a13 = Vector128.FusedMultiplyAdd(a13, x, y);
            a14 = Vector128.FusedMultiplyAdd(a14, x, y); a15 = Vector128.FusedMultiplyAdd(a15, x, y);
        }
        return Vector128.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11 + a12 + a13 + a14 + a15);
    }
}
