using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// The machine's main-memory bandwidth, STREAM-style, over 64 MiB arrays (beyond any L3 here): a read-only sum
/// (4 B per element; one stream a thread, and four side by side) and a triad a = b + 3·c with non-temporal stores (12 B per element; streaming stores skip the
/// read-for-ownership, as the element-wise kernels' large outputs do). The ceiling is the better of the two.
/// <see cref="MeasureAt"/> measures the same at a smaller working set, which the caches hold: a kernel whose data
/// fits there runs well above main-memory bandwidth, and judged against it would read more than 100% of its ceiling.
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
                bestRead = Math.Min(bestRead, ProbeThreads.Time(threads, t =>
                {
                    var (s, e) = Part(threads, t);
                    sums[t] = SumStreams(b + s, e - s);
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

    /// <summary>
    /// Best GB/s over a working set of <paramref name="bytes"/> bytes, touched again and again as a benchmark case
    /// touches its operands: a read-only sum over all of it, and a copy of one half into the other with normal stores
    /// (which stay in cache) and with streaming ones (which skip the read-for-ownership, as the kernels' large outputs
    /// do), on the widest vectors. From <see cref="Length"/> floats up it is <see cref="Measure"/>.
    /// </summary>
    public static double MeasureAt(int threads, long bytes, int repeats = 5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(bytes, 1L);
        if (bytes >= (long)Length * sizeof(float)) return Measure(threads, repeats);
        // Whole blocks of 32 floats per thread and per half, so every part starts aligned.
        long block = 64L * threads;
        int n = (int)Math.Max(block, bytes / sizeof(float) / block * block);
        // About 256 MiB a burst (a few milliseconds), so a thread's late start is a small part of it.
        int passes = (int)Math.Max(1, (256L << 20) / ((long)n * sizeof(float)));
        float* a = (float*)NativeMemory.AlignedAlloc((nuint)n * sizeof(float), 64);
        try
        {
            new Span<float>(a, n).Fill(1f);
            var sums = new float[threads];
            int half = n / 2;
            void ReadAll(int t)
            {
                var (s, e) = Part(n, threads, t);
                for (int i = 0; i < passes; i++) sums[t] += SumWide(a + s, e - s);
            }
            void ReadStreams(int t)
            {
                var (s, e) = Part(n, threads, t);
                for (int i = 0; i < passes; i++) sums[t] += SumStreams(a + s, e - s);
            }
            void CopyHalf(int t)
            {
                var (s, e) = Part(half, threads, t);
                for (int i = 0; i < passes; i++) CopyWide(a + s, a + half + s, e - s, streaming: false);
            }
            void StreamHalf(int t)
            {
                var (s, e) = Part(half, threads, t);
                for (int i = 0; i < passes; i++) CopyWide(a + s, a + half + s, e - s, streaming: true);
            }
            Action<int>[] probes = [ReadAll, ReadStreams, CopyHalf, StreamHalf];
            var best = new double[probes.Length];
            for (int p = 0; p < probes.Length; p++)
            {
                ProbeThreads.Time(threads, probes[p]);
                best[p] = double.MaxValue;
            }
            for (int r = 0; r < repeats; r++)
                for (int p = 0; p < probes.Length; p++) best[p] = Math.Min(best[p], ProbeThreads.Time(threads, probes[p]));
            GC.KeepAlive(sums);
            return (double)passes * n * sizeof(float) / best.Min() / 1e9;
        }
        finally { NativeMemory.AlignedFree(a); }
    }

    private static float* Allocate() => (float*)NativeMemory.AlignedAlloc((nuint)Length * sizeof(float), 64);

    private static (int Start, int End) Part(int length, int parts, int part)
    {
        int blocks = length / 32;
        return ((int)((long)blocks * part / parts) * 32, (int)((long)blocks * (part + 1) / parts) * 32);
    }

    // In cache, the width of a load decides the bandwidth: as wide as the kernels measured against it go.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float SumWide(float* p, int n)
    {
        if (!Vector512.IsHardwareAccelerated) return Sum(p, n);
        // Eight chains: an add's latency would otherwise cap an L1-resident sum below what two load ports deliver.
        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        int i = 0;
        for (; i + 128 <= n; i += 128)
        {
            s0 += Vector512.LoadAligned(p + i);
            s1 += Vector512.LoadAligned(p + i + 16);
            s2 += Vector512.LoadAligned(p + i + 32);
            s3 += Vector512.LoadAligned(p + i + 48);
            s4 += Vector512.LoadAligned(p + i + 64);
            s5 += Vector512.LoadAligned(p + i + 80);
            s6 += Vector512.LoadAligned(p + i + 96);
            s7 += Vector512.LoadAligned(p + i + 112);
        }
        for (; i < n; i += 32)
        {
            s0 += Vector512.LoadAligned(p + i);
            s1 += Vector512.LoadAligned(p + i + 16);
        }
        return Vector512.Sum(((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyWide(float* from, float* to, int n, bool streaming)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            if (streaming)
                for (int i = 0; i < n; i += 16) Vector512.StoreAlignedNonTemporal(Vector512.LoadAligned(from + i), to + i);
            else
                for (int i = 0; i < n; i += 16) Vector512.StoreAligned(Vector512.LoadAligned(from + i), to + i);
        }
        else if (streaming)
            for (int i = 0; i < n; i += 8) Vector256.StoreAlignedNonTemporal(Vector256.LoadAligned(from + i), to + i);
        else
            for (int i = 0; i < n; i += 8) Vector256.StoreAligned(Vector256.LoadAligned(from + i), to + i);
        if (streaming && System.Runtime.Intrinsics.X86.Sse.IsSupported) System.Runtime.Intrinsics.X86.Sse.StoreFence();
    }

    // Parts are whole multiples of 32 floats, so every part starts 128-byte aligned (aligned streaming stores).
    private static (int Start, int End) Part(int parts, int part) => Part(Length, parts, part);

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

    // Four streams a thread, each a quarter of its part, read side by side: more lines in flight than one stream's
    // prefetcher keeps — a column sum (four rows a pass) had read a 64 MiB matrix faster than the one-stream probe
    // (103% of that ceiling). n is a multiple of 32, and so are the quarters and the rest.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float SumStreams(float* p, int n)
    {
        int q = n / 128 * 32;
        float* p1 = p + q, p2 = p + 2 * q, p3 = p + 3 * q;
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        for (int i = 0; i < q; i += 16)
        {
            s0 += Vector256.LoadAligned(p + i);
            s1 += Vector256.LoadAligned(p + i + 8);
            s2 += Vector256.LoadAligned(p1 + i);
            s3 += Vector256.LoadAligned(p1 + i + 8);
            s4 += Vector256.LoadAligned(p2 + i);
            s5 += Vector256.LoadAligned(p2 + i + 8);
            s6 += Vector256.LoadAligned(p3 + i);
            s7 += Vector256.LoadAligned(p3 + i + 8);
        }
        return Vector256.Sum(((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))) + Sum(p + 4 * q, n - 4 * q);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Triad(float* a, float* b, float* c, int n)
    {
        var three = Vector256.Create(3f);
        for (int i = 0; i < n; i += 8)
            Vector256.StoreAlignedNonTemporal(Vector256.LoadAligned(b + i) + three * Vector256.LoadAligned(c + i), a + i);
    }
}
