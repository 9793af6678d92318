using System.Text.Json.Serialization;
using Tensorlet.Kernels.Cpu;

namespace Tensorlet.Bench;

/// <summary>
/// One measured case, as <c>tensorlet bench --json</c> prints it. Throughputs come from the median run;
/// <see cref="PeakFraction"/> is the fraction of the roofline (<see cref="MachineCeilings.Fraction"/>) reached, of the
/// ceilings <see cref="PeakGflops"/> and <see cref="BandwidthGBps"/> (the bandwidth of the case's working set:
/// main memory's, or the caches' where they hold it); all three are null where no ceilings were measured
/// (an accelerator: the probes measure the CPU). <see cref="FmaBesideGflops"/>, set by the libtorch comparison's children
/// for compute-bound cases, is the FMA rate probed right after the case (<see cref="FmaBeside"/>), and
/// <see cref="BandwidthBesideGBps"/>, for memory-bound ones, the bandwidth of its working set probed then
/// (<see cref="BandwidthBeside"/>).
/// </summary>
public sealed record BenchResult(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("family")] string Family,
    [property: JsonPropertyName("shape")] string Shape,
    [property: JsonPropertyName("ms")] double Ms,
    [property: JsonPropertyName("msMin")] double MsMin,
    [property: JsonPropertyName("runs")] int Runs,
    [property: JsonPropertyName("gflops")] double Gflops,
    [property: JsonPropertyName("gbps")] double Gbps,
    [property: JsonPropertyName("bound")] string Bound,
    [property: JsonPropertyName("peakFraction")] double? PeakFraction,
    [property: JsonPropertyName("peakGflops")] double? PeakGflops,
    [property: JsonPropertyName("bandwidthGBps")] double? BandwidthGBps,
    [property: JsonPropertyName("threads")] int Threads,
    [property: JsonPropertyName("device")] string Device,
    [property: JsonPropertyName("fmaBesideGflops")] double? FmaBesideGflops = null,
    [property: JsonPropertyName("bandwidthBesideGBps")] double? BandwidthBesideGBps = null)
{
    /// <summary>Turns a timing of <paramref name="benchCase"/> into throughputs and a fraction of <paramref name="ceilings"/> (if any).</summary>
    public static BenchResult From(BenchCase benchCase, Timing timing, MachineCeilings? ceilings, int threads, string device)
    {
        var spec = benchCase.Spec;
        double seconds = timing.MedianMs / 1000;
        return new BenchResult(benchCase.Name, benchCase.Family, spec.Shape, timing.MedianMs, timing.MinMs, timing.RunsMs.Count,
                               spec.Flops / seconds / 1e9, spec.Bytes / seconds / 1e9, spec.ComputeBound ? "compute" : "memory",
                               ceilings?.Fraction(spec.ExecutedFlops, spec.Bytes, seconds), ceilings?.PeakGflops,
                               spec.Bytes > 0 ? ceilings?.BandwidthAt(spec.Bytes) : ceilings?.BandwidthGBps,
                               threads, device);
    }
}
