using System.Collections.Concurrent;

namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// The two ceilings a CPU kernel is measured against, at one thread count: FMA peak (compute-bound kernels) and
/// main-memory bandwidth (memory-bound ones). Together they are the roofline: a kernel doing F FLOPs and moving B bytes
/// cannot finish before max(F / peak, B / bandwidth).
/// </summary>
/// <param name="Threads">Threads both probes ran on.</param>
/// <param name="PeakGflops">FP32 FMA peak, GFLOP/s (<see cref="FmaPeak"/>).</param>
/// <param name="BandwidthGBps">Main-memory bandwidth, GB/s (<see cref="MemoryBandwidth"/>).</param>
public sealed record MachineCeilings(int Threads, double PeakGflops, double BandwidthGBps)
{
    private static readonly ConcurrentDictionary<int, Lazy<MachineCeilings>> Cache = new();

    /// <summary>
    /// The ceilings at <paramref name="threads"/> threads, measured the first time they are asked for in this process
    /// (about a third of a second) and reused after that, so every figure of a run is compared with the same ceiling.
    /// </summary>
    public static MachineCeilings Get(int threads) =>
        Cache.GetOrAdd(threads, t => new Lazy<MachineCeilings>(() => Measure(t))).Value;

    /// <summary>Measures both ceilings now, without the cache.</summary>
    public static MachineCeilings Measure(int threads) =>
        new(threads, FmaPeak.Measure(threads), MemoryBandwidth.Measure(threads));

    /// <summary>
    /// Fraction of the roofline a run reached: the time the ceilings allow for <paramref name="flops"/> and
    /// <paramref name="bytes"/> divided by the time it took. 1 means the kernel ran at the nearer ceiling.
    /// </summary>
    public double Fraction(double flops, double bytes, double seconds) =>
        seconds <= 0 ? 0 : Math.Max(flops / (PeakGflops * 1e9), bytes / (BandwidthGBps * 1e9)) / seconds;
}
