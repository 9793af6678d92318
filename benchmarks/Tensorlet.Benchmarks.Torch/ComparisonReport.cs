using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;
using Tensorlet.Bench.Comparison;
using Tensorlet.Kernels.Cpu;

namespace Tensorlet.Benchmarks.Torch;

/// <summary>Prints the comparison as a table with the self-check, and writes it as JSON and CSV.</summary>
internal static class ComparisonReport
{
    public static void Print(IReadOnlyList<ComparisonRow> rows, MachineCeilings ceilings, IReadOnlyList<SelfCheck> checks, string host)
    {
        AnsiConsole.MarkupLine($"{ceilings.Threads} thread(s) for both engines; FMA peak {ceilings.PeakGflops:F0} GFLOP/s ({FmaPeak.VectorBits}-bit), " +
                               $"main-memory bandwidth {ceilings.BandwidthGBps:F1} GB/s (measured in the driver; a working set the caches hold is judged against the bandwidth at its size). Ratio = Tensorlet throughput / libtorch throughput; " +
                               "libtorch is the faster of its default allocator and MALLOC_MMAP_MAX_=0 with no heap trimming (†).");
        var table = new Table().AddColumns("case", "shape")
            .AddColumn(new TableColumn("Tensorlet").RightAligned()).AddColumn(new TableColumn("libtorch").RightAligned())
            .AddColumn(new TableColumn("unit").RightAligned()).AddColumn(new TableColumn("% ceiling T / L").RightAligned())
            .AddColumn(new TableColumn("% FMA beside T / L").RightAligned())
            .AddColumn(new TableColumn("spread T / L").RightAligned()).AddColumn(new TableColumn("ratio").RightAligned());
        foreach (var r in rows)
        {
            string ratio = r.Ratio.ToString("F2", CultureInfo.InvariantCulture);
            ratio = r.Ratio >= 1 ? $"[green]{ratio}[/]" : r.Ratio < 0.7 ? $"[red]{ratio}[/]" : ratio;
            string fraction = r.Unit == "images/s" ? "-" : $"{100 * r.TensorletPeakFraction:F0}% / {100 * r.TorchPeakFraction:F0}%";
            table.AddRow(Markup.Escape(r.Name), Markup.Escape(r.Shape), r.TensorletThroughput.ToString("F1"),
                         r.TorchThroughput.ToString("F1") + (r.TorchVariant == "nommap" ? " †" : ""), r.Unit, fraction, ComparisonMarkdown.Beside(r),
                         $"{100 * r.TensorletSpread:F0}% / {100 * r.TorchSpread:F0}%", ratio);
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("% FMA beside: each block's figure over the FMA rate probed right after the case in the same child (the median of bursts as long as its runs), median over blocks.");
        foreach (var family in rows.GroupBy(r => r.Family))
            AnsiConsole.MarkupLine($"  {Markup.Escape(family.Key)}: geometric-mean ratio {ComparisonMarkdown.GeometricMean(family.Select(r => r.Ratio)):F2} over {family.Count()} case(s)");
        AnsiConsole.MarkupLine("Self-check (each case's median, corroborated by a majority of its engine's blocks within ±15%):");
        foreach (var check in checks)
            AnsiConsole.MarkupLine("  " + (check.Passed ? "[green]" : check.Informational ? "[yellow]" : "[red]") + Markup.Escape(check.ToString()) + "[/]");
        AnsiConsole.MarkupLine(Markup.Escape(host));
    }

    public static void WriteJson(IReadOnlyList<ComparisonRow> rows, IReadOnlyList<SelfCheck> checks, MachineCeilings ceilings,
                                 IReadOnlyList<ChildProbes> children, string loadBefore, string loadAfter, string path)
    {
        double best = ChildProbes.Best(children);
        var kept = ChildProbes.Kept(children);
        var document = new
        {
            machine = new
            {
                threads = ceilings.Threads, peakGflops = ceilings.PeakGflops, fmaVectorBits = FmaPeak.VectorBits,
                bandwidthGBps = ceilings.BandwidthGBps, loadAverageBefore = loadBefore, loadAverageAfter = loadAfter,
            },
            selfCheck = checks.Select(c => new { engine = c.Engine, passed = c.Passed, informational = c.Informational, worstCase = c.WorstCase, worstDeviation = c.WorstDeviation, worstSpread = c.WorstSpread, blocks = c.Blocks, slowedBlocks = c.SlowedBlocks,
                                                   uncorroborated = c.Unsettled.Select(u => new { @case = u.Case, fromBlocks = u.FromBlocks, withRemeasures = u.WithRemeasures, blocks = u.Blocks, remeasures = u.Remeasures, confirmed = u.Confirmed }) }),
            host = new
            {
                slowedFraction = ChildProbes.SlowedFraction, bestGBps = best,
                children = children.Select(c => new { engine = c.Engine, block = c.Block, @try = c.Try, beforeGBps = c.BeforeGBps, afterGBps = c.AfterGBps,
                                                       slowed = c.SlowedAgainst(best), kept = kept.Contains(c) }),
            },
            results = rows,
        };
        File.WriteAllText(path, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
    }

    public static void WriteCsv(IReadOnlyList<ComparisonRow> rows, string path)
    {
        var csv = new StringBuilder("name,family,shape,blocks,tensorlet_ms,libtorch_ms,libtorch_allocator,tensorlet_spread,libtorch_spread," +
                                    "tensorlet_throughput,libtorch_throughput,unit,tensorlet_peak_fraction,libtorch_peak_fraction,ratio," +
                                    "tensorlet_fma_beside_fraction,libtorch_fma_beside_fraction\n");
        foreach (var r in rows)
            csv.AppendLine(string.Join(',', r.Name, r.Family, $"\"{r.Shape}\"", r.Blocks.ToString(), Num(r.TensorletMs), Num(r.TorchMs), r.TorchVariant,
                Num(r.TensorletSpread), Num(r.TorchSpread), Num(r.TensorletThroughput), Num(r.TorchThroughput), r.Unit,
                Num(r.TensorletPeakFraction), Num(r.TorchPeakFraction), Num(r.Ratio),
                r.TensorletFmaBesideFraction is { } t ? Num(t) : "", r.TorchFmaBesideFraction is { } l ? Num(l) : ""));
        File.WriteAllText(path, csv.ToString());
    }

    private static string Num(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
