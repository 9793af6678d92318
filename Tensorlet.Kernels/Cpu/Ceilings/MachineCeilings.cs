using System.Collections.Concurrent;

namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// The two ceilings a CPU kernel is measured against, at one thread count: FMA peak (compute-bound kernels) and
/// memory bandwidth (memory-bound ones). Together they are the roofline: a kernel doing F FLOPs and moving B bytes
/// cannot finish before max(F / peak, B / bandwidth). The bandwidth is that of the kernel's working set: main memory
/// (<see cref="BandwidthGBps"/>) for large ones, the caches' (<see cref="BandwidthAt"/>) for those they hold.
/// </summary>
/// <param name="Threads">Threads both probes ran on.</param>
/// <param name="PeakGflops">FP32 FMA peak, GFLOP/s (<see cref="FmaPeak"/>).</param>
/// <param name="BandwidthGBps">Main-memory bandwidth, GB/s (<see cref="MemoryBandwidth"/>).</param>
public sealed record MachineCeilings(int Threads, double PeakGflops, double BandwidthGBps)
{
    private static readonly ConcurrentDictionary<int, Lazy<MachineCeilings>> Cache = new();
    private static readonly ConcurrentDictionary<(int Threads, long Bytes), Lazy<double>> AtSize = new();

    /// <summary>Working sets from this size up are judged against main memory (<see cref="BandwidthGBps"/>).</summary>
    public const long MainMemoryBytes = (long)MemoryBandwidth.Length * sizeof(float);

    /// <summary>
    /// The ceilings at <paramref name="threads"/> threads, measured the first time they are asked for in this process
    /// (about a third of a second) and reused after that, so every figure of a run is compared with the same ceiling.
    /// </summary>
    public static MachineCeilings Get(int threads) =>
        Cache.GetOrAdd(threads, t => new Lazy<MachineCeilings>(() => Measure(t))).Value;

    /// <summary>
    /// Measures both ceilings now, without the cache. Main memory takes the best of <see cref="ProbeRepeats"/> rounds
    /// like the cache sizes: with five, one comparison read 43 GB/s while its column sums streamed 64 MiB at 53
    /// (121% of that ceiling) — another tenant had held the memory bus for all five.
    /// </summary>
    public static MachineCeilings Measure(int threads) =>
        new(threads, FmaPeak.Measure(threads), MemoryBandwidth.Measure(threads, ProbeRepeats));

    /// <summary>
    /// Each ceiling at the higher of this measurement's and <paramref name="other"/>'s, both at the same thread count. A
    /// probe that runs while another tenant of the host holds a core reads low — a comparison's one probe once read the
    /// FMA peak at 238 GFLOP/s where the runs before and after read 460–480 — and no kernel can beat the hardware, so
    /// the best of several probes spread over a run is the ceiling.
    /// </summary>
    /// <exception cref="ArgumentException">The two were measured at different thread counts.</exception>
    public MachineCeilings Best(MachineCeilings other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Threads != Threads)
            throw new ArgumentException($"MachineCeilings.Best: ceilings at {other.Threads} thread(s) cannot raise those at {Threads}.", nameof(other));
        return this with { PeakGflops = Math.Max(PeakGflops, other.PeakGflops), BandwidthGBps = Math.Max(BandwidthGBps, other.BandwidthGBps) };
    }

    /// <summary>
    /// Fraction of the roofline a run reached: the time the ceilings allow for <paramref name="flops"/> and
    /// <paramref name="bytes"/> divided by the time it took. 1 means the kernel ran at the nearer ceiling.
    /// </summary>
    public double Fraction(double flops, double bytes, double seconds) =>
        seconds <= 0 ? 0 : Math.Max(flops / (PeakGflops * 1e9), bytes > 0 ? bytes / (BandwidthAt(bytes) * 1e9) : 0) / seconds;

    /// <summary>
    /// GB/s a working set of <paramref name="bytes"/> can be streamed at: the best measured (in this process, once per
    /// thread count and power of two) at its size rounded down to a power of two or at any larger size, and never
    /// below main memory's <see cref="BandwidthGBps"/>, which alone holds from <see cref="MainMemoryBytes"/> up.
    /// A smaller set is never slower to stream, so taking the best of the larger ones keeps one noisy probe from
    /// setting a ceiling a kernel can beat.
    /// </summary>
    public double BandwidthAt(double bytes)
    {
        double best = BandwidthGBps;
        if (bytes >= MainMemoryBytes) return best;
        for (long size = ProbeSizeFor(bytes); size < MainMemoryBytes; size *= 2)
            best = Math.Max(best, AtSize.GetOrAdd((Threads, size), k => new Lazy<double>(() => MemoryBandwidth.MeasureAt(k.Threads, k.Bytes, ProbeRepeats))).Value);
        return best;
    }

    /// <summary>
    /// The working-set size whose probe sets the ceiling of a set of <paramref name="bytes"/>: its size rounded down to
    /// a power of two, at least <see cref="MinimumProbeBytes"/>; <see cref="MainMemoryBytes"/> from there up (main memory).
    /// </summary>
    public static long ProbeSizeFor(double bytes) =>
        bytes >= MainMemoryBytes ? MainMemoryBytes
            : Math.Max(MinimumProbeBytes, (long)System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)Math.Max(1, (long)bytes) + 1) / 2);

    /// <summary>
    /// These ceilings with a probe taken elsewhere folded in — a working set of <paramref name="probeBytes"/> (a size
    /// <see cref="ProbeSizeFor"/> gives) streamed at <paramref name="gbps"/> — keeping the better figure as
    /// <see cref="Best"/> does. The libtorch comparison folds in the probes its children take right beside each
    /// memory-bound case: a set the size of the shared L3 streams at whatever the host's other tenants leave, and the
    /// driver's own probes, taken between blocks, had missed the moments batch norm in eval mode ran in (109% of them).
    /// Cache-sized probes are held per process and thread count, as <see cref="BandwidthAt"/> holds them.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="probeBytes"/> is not a probe size, or the rate is not positive.</exception>
    public MachineCeilings WithProbeAt(long probeBytes, double gbps)
    {
        if (probeBytes != ProbeSizeFor(probeBytes))
            throw new ArgumentOutOfRangeException(nameof(probeBytes), probeBytes,
                $"MachineCeilings.WithProbeAt: {probeBytes} bytes is not a probe size (a power of two from {MinimumProbeBytes} to {MainMemoryBytes}).");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(gbps);
        if (probeBytes >= MainMemoryBytes) return this with { BandwidthGBps = Math.Max(BandwidthGBps, gbps) };
        Raise(Threads, probeBytes, gbps);
        return this;
    }

    /// <summary>
    /// Measures every working-set size probed so far in this process at this thread count again (about 0.2 s a size),
    /// keeping each size's better figure: the comparison calls it after every block, since a size probed once in a busy
    /// moment had set batch norm eval's ceiling at 105 GB/s where the kernel then ran at 118.
    /// </summary>
    public void ReprobeWorkingSets()
    {
        foreach (var key in AtSize.Keys.Where(k => k.Threads == Threads).OrderBy(k => k.Bytes).ToList())
            Raise(Threads, key.Bytes, MemoryBandwidth.MeasureAt(Threads, key.Bytes, ProbeRepeats));
    }

    /// <summary>Records <paramref name="gbps"/> for a working-set size unless a better figure is already held.</summary>
    internal static void Raise(int threads, long bytes, double gbps) =>
        AtSize.AddOrUpdate((threads, bytes), _ => new Lazy<double>(gbps),
                           (_, old) => old.Value >= gbps ? old : new Lazy<double>(gbps));

    /// <summary>
    /// Timed rounds of each working-set probe (about 0.2 s a size): a working set near the size of the L3 cache, which
    /// other tenants of the host share, streams at speeds that swing from moment to moment, and five rounds once read
    /// 80 GB/s at 32 MiB where batch norm then ran at 101 (127% of that ceiling). The best of more rounds is likelier
    /// to catch what the cache can really deliver.
    /// </summary>
    public const int ProbeRepeats = 25;

    /// <summary>The smallest working set probed (smaller ones are judged against it): 32 KiB.</summary>
    public const long MinimumProbeBytes = 32L << 10;
}
