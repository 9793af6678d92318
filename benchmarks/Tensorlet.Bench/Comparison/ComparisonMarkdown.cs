using System.Globalization;
using System.Text;
using Tensorlet.Kernels.Cpu;

namespace Tensorlet.Bench.Comparison;

/// <summary>
/// The comparison as the Markdown docs/performance.md takes verbatim: the ceilings used, the self-check, one row per case
/// and the geometric-mean ratio per family.
/// </summary>
public static class ComparisonMarkdown
{
    public static string Write(IReadOnlyList<ComparisonRow> rows, MachineCeilings ceilings, IReadOnlyList<SelfCheck> checks,
                               string machine, string command, string? host = null)
    {
        var md = new StringBuilder();
        string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
        md.AppendLine($"Machine: {machine}. {ceilings.Threads} thread(s) for both engines. Ceilings used (measured in the harness's " +
                      $"own process, the best of a probe before the first child and one after each, and for bandwidth of the children's probes beside each memory-bound case): FMA peak **{F(ceilings.PeakGflops, "F0")} GFLOP/s** ({FmaPeak.VectorBits}-bit FMAs, " +
                      $"{FmaPeak.Chains} chains a thread), main-memory bandwidth **{F(ceilings.BandwidthGBps, "F1")} GB/s**; " +
                      "a case's working set that fits in the caches is judged against the bandwidth measured at its size (`MachineCeilings.BandwidthAt`, " +
                      "the best of the same probes).");
        md.AppendLine();
        md.AppendLine($"Command: `{command}`");
        md.AppendLine();
        md.AppendLine("Self-check (each case's median, corroborated by a majority of its engine's blocks within ±15%, or else of blocks and re-measures together; it decides for the compared figures, the losing libtorch setting is informational):");
        md.AppendLine();
        foreach (var check in checks) md.AppendLine($"- {check}");
        md.AppendLine();
        if (host != null)
        {
            md.AppendLine(host);
            md.AppendLine();
        }
        md.AppendLine("| case | shape | Tensorlet | libtorch | unit | % of ceiling T / L | % of FMA beside T / L | spread T / L | ratio |");
        md.AppendLine("|---|---|--:|--:|---|--:|--:|--:|--:|");
        foreach (var r in rows)
        {
            string format = r.TensorletThroughput < 10 ? "F2" : "F1";
            string torch = F(r.TorchThroughput, format) + (r.TorchVariant == "nommap" ? "†" : "");
            // A whole model's images/s has no single ceiling: its layers sit at different points of the roofline.
            string fraction = r.Unit == "images/s" ? "–" : $"{F(100 * r.TensorletPeakFraction, "F0")}% / {F(100 * r.TorchPeakFraction, "F0")}%";
            md.AppendLine($"| {r.Name} | {r.Shape} | {F(r.TensorletThroughput, format)} | {torch} | {r.Unit} | {fraction} | {Beside(r)} | " +
                          $"{F(100 * r.TensorletSpread, "F0")}% / {F(100 * r.TorchSpread, "F0")}% | **{F(r.Ratio, "F2")}** |");
        }
        md.AppendLine();
        md.AppendLine("† libtorch was faster with `MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=64G` (the figure shown); elsewhere with its default allocator. " +
                      "Ratio = Tensorlet throughput / libtorch throughput: above 1, Tensorlet is faster. " +
                      "% of ceiling: the median figure over the run's ceilings (the best of the driver's probes). % of FMA beside: each block's figure " +
                      "over the FMA rate its child probed right after the case (the median of bursts as long as the case's runs), median over blocks — " +
                      "the same statistic on both sides, at the same moment.");
        md.AppendLine();
        md.AppendLine("Geometric-mean ratio per family: " + string.Join(", ",
            rows.GroupBy(r => r.Family).Select(g => $"{g.Key} {F(GeometricMean(g.Select(r => r.Ratio)), "F2")}")) + ".");
        return md.ToString();
    }

    /// <summary>"T% / L%" of a row's fractions of the FMA rate probed beside it, "–" where none was probed.</summary>
    public static string Beside(ComparisonRow r) =>
        r.TensorletFmaBesideFraction is { } t && r.TorchFmaBesideFraction is { } l
            ? $"{(100 * t).ToString("F0", CultureInfo.InvariantCulture)}% / {(100 * l).ToString("F0", CultureInfo.InvariantCulture)}%"
            : "–";

    public static double GeometricMean(IEnumerable<double> values)
    {
        var list = values.ToList();
        return list.Count == 0 ? 0 : Math.Exp(list.Average(Math.Log));
    }
}
