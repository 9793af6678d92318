using Tensorlet.Kernels.Cpu;

namespace Tensorlet.Bench.Comparison;

/// <summary>
/// One case of the comparison: each engine's median over blocks, libtorch as the faster of its two allocator settings,
/// throughputs, the fraction of the machine's ceiling each reached, and the ratio.
/// </summary>
/// <param name="TorchVariant">Which libtorch setting was faster: "default" or "nommap".</param>
/// <param name="TensorletSpread">(max − min) / median of Tensorlet's figures over blocks (and <paramref name="TorchSpread"/>: libtorch's, of the faster setting).</param>
/// <param name="Ratio">Tensorlet throughput / libtorch throughput (= libtorch ms / Tensorlet ms): above 1, Tensorlet is faster.</param>
/// <param name="Unit">What the throughput columns are in: GFLOP/s, GB/s or images/s (whole-model cases).</param>
/// <param name="TensorletPeakFraction">Fraction of the roofline of the run's ceilings (the best of the driver's probes), from the median ms (and <paramref name="TorchPeakFraction"/>, libtorch's).</param>
/// <param name="TensorletFmaBesideFraction">For compute-bound cases probed by the children: the median over blocks of each
/// block's throughput over the FMA rate probed right after it (<see cref="FmaBeside"/>); null elsewhere (and
/// <paramref name="TorchFmaBesideFraction"/>, libtorch's, of the setting compared).</param>
public sealed record ComparisonRow(
    string Name, string Family, string Shape, bool ComputeBound, int Blocks,
    double TensorletMs, double TorchMs, string TorchVariant, double TensorletSpread, double TorchSpread,
    double TensorletThroughput, double TorchThroughput, string Unit,
    double TensorletPeakFraction, double TorchPeakFraction, double Ratio,
    double? TensorletFmaBesideFraction = null, double? TorchFmaBesideFraction = null)
{
    /// <summary>
    /// Builds the row of <paramref name="benchCase"/> from each engine's per-block milliseconds (libtorch under its
    /// default allocator and with <c>MALLOC_MMAP_MAX_=0</c>, no heap trimming), against <paramref name="ceilings"/>, and
    /// where given, against each block's FMA rate probed beside the case (<paramref name="fmaBeside"/>: per engine, in
    /// block order, as the milliseconds are).
    /// </summary>
    public static ComparisonRow From(BenchCase benchCase, IReadOnlyList<double> tensorletMs, IReadOnlyList<double> torchMs,
                                     IReadOnlyList<double> torchNoMmapMs, MachineCeilings ceilings, FmaBesideFigures? fmaBeside = null)
    {
        if (tensorletMs.Count == 0 || torchMs.Count == 0 || torchNoMmapMs.Count == 0)
            throw new ArgumentException($"comparison: case '{benchCase.Name}' lacks figures from an engine.");
        double ours = BenchTimer.Median(tensorletMs), plain = BenchTimer.Median(torchMs), noMmap = BenchTimer.Median(torchNoMmapMs);
        bool noMmapFaster = noMmap < plain;
        double theirs = noMmapFaster ? noMmap : plain;
        var spec = benchCase.Spec;
        (double Value, string Unit) Throughput(double ms) => spec switch
        {
            ModelSpec m => (m.ImagesPerSecond(ms), "images/s"),
            _ when spec.ComputeBound => (spec.Flops / (ms / 1000) / 1e9, "GFLOP/s"),
            _ => (spec.Bytes / (ms / 1000) / 1e9, "GB/s"),
        };
        var (oursValue, unit) = Throughput(ours);
        return new ComparisonRow(benchCase.Name, benchCase.Family, spec.Shape, spec.ComputeBound, tensorletMs.Count,
                                 ours, theirs, noMmapFaster ? "nommap" : "default",
                                 SelfCheck.Spread(tensorletMs), SelfCheck.Spread(noMmapFaster ? torchNoMmapMs : torchMs),
                                 oursValue, Throughput(theirs).Value, unit,
                                 ceilings.Fraction(spec.ExecutedFlops, spec.Bytes, ours / 1000), ceilings.Fraction(spec.Flops, spec.Bytes, theirs / 1000),
                                 theirs / ours,
                                 BesideFraction(spec.ExecutedFlops, tensorletMs, fmaBeside?.Tensorlet),
                                 BesideFraction(spec.Flops, noMmapFaster ? torchNoMmapMs : torchMs, noMmapFaster ? fmaBeside?.TorchNoMmap : fmaBeside?.Torch));
    }

    // The median over blocks of each block's GFLOP/s over the FMA rate probed beside it; null without a probe for every block.
    private static double? BesideFraction(double flops, IReadOnlyList<double> ms, IReadOnlyList<double?>? fma)
    {
        if (fma is null || fma.Count != ms.Count || fma.Any(f => f is not > 0)) return null;
        return BenchTimer.Median(ms.Select((t, b) => flops / (t / 1000) / 1e9 / fma[b]!.Value).ToList());
    }
}

/// <summary>Each engine's FMA rate probed beside one case (<see cref="FmaBeside"/>), one entry per block in block order; null entries where none was probed.</summary>
public sealed record FmaBesideFigures(IReadOnlyList<double?> Tensorlet, IReadOnlyList<double?> Torch, IReadOnlyList<double?> TorchNoMmap);
