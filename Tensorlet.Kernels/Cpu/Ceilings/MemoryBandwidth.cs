using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// The machine's main-memory bandwidth, STREAM-style, over 64 MiB arrays (beyond any L3 here): a read-only sum
/// (4 B per element) and a triad a = b + 3·c with non-temporal stores (12 B per element; streaming stores skip the
/// read-for-ownership, as the element-wise kernels' large outputs do). The ceiling is the better of the two.
/// </summary>
public static unsafe class MemoryBandwidth
{
    /// <summary>Floats per array (16 Mi = 64 MiB).</summary>
    public const int Length = 16 << 20;

    /// <summary>Best GB/s (10⁹ bytes) of a read-only sum and a streaming triad on <paramref name="threads"/> threads.</summary>
    public static double Measure(int threads, int repeats = 5)
    {
        var (read, triad) = MeasureBoth(threads, repeats);
        return Math.Max(read, triad);
    }

    /// <summary>Best GB/s of the read-only sum and of the streaming triad, each over <paramref name="repeats"/> passes.</summary>
    public static (double Read, double Triad) MeasureBoth(int threads, int repeats = 5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        float* a = Allocate(), b = Allocate(), c = Allocate();
        try
        {
            // Touch every page before timing (first-touch page faults would dominate the first pass).
            new Span<float>(a, Length).Clear();
            new Span<float>(b, Length).Fill(1f);
            new Span<float>(c, Length).Fill(2f);
            // One untimed pass of each: the first call's page walks and code faults are not bandwidth.
            Sum(b, Length);
            Triad(a, b, c, Length);
            var sums = new float[threads];
            double bestRead = double.MaxValue, bestTriad = double.MaxValue;
            for (int r = 0; r < repeats; r++)
            {
                bestRead = Math.Min(bestRead, ProbeThreads.Time(threads, t =>
                {
                    var (s, e) = Part(threads, t);
                    sums[t] = Sum(b + s, e - s);
                }));
                bestTriad = Math.Min(bestTriad, ProbeThreads.Time(threads, t =>
                {
                    var (s, e) = Part(threads, t);
                    Triad(a + s, b + s, c + s, e - s);
                }));
            }
            GC.KeepAlive(sums);
            return (4.0 * Length / bestRead / 1e9, 12.0 * Length / bestTriad / 1e9);
        }
        finally
        {
            NativeMemory.AlignedFree(a);
            NativeMemory.AlignedFree(b);
            NativeMemory.AlignedFree(c);
        }
    }

    private static float* Allocate() => (float*)NativeMemory.AlignedAlloc((nuint)Length * sizeof(float), 64);

    // Parts are whole multiples of 32 floats, so every part starts 128-byte aligned (aligned streaming stores).
    private static (int Start, int End) Part(int parts, int part)
    {
        int blocks = Length / 32;
        return ((int)((long)blocks * part / parts) * 32, (int)((long)blocks * (part + 1) / parts) * 32);
    }

    // Fully optimised on first call: an unoptimised first-tier loop would not keep up with memory.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Sum(float* p, int n)
    {
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
        for (int i = 0; i < n; i += 32)
        {
            s0 += Vector256.LoadAligned(p + i);
            s1 += Vector256.LoadAligned(p + i + 8);
            s2 += Vector256.LoadAligned(p + i + 16);
            s3 += Vector256.LoadAligned(p + i + 24);
        }
        return Vector256.Sum(s0 + s1 + s2 + s3);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Triad(float* a, float* b, float* c, int n)
    {
        var three = Vector256.Create(3f);
        for (int i = 0; i < n; i += 8)
            Vector256.StoreAlignedNonTemporal(Vector256.LoadAligned(b + i) + three * Vector256.LoadAligned(c + i), a + i);
    }
}
