using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;
using Tensorlet.Kernels.Cpu;

namespace Tensorlet.Benchmarks.Torch;

/// <summary>Prints the comparison as a table and writes it as JSON and CSV.</summary>
internal static class ComparisonReport
{
    public static void Print(IReadOnlyList<ComparisonResult> results, MachineCeilings ceilings, int torchThreads)
    {
        AnsiConsole.MarkupLine($"Tensorlet {ceilings.Threads} thread(s), libtorch {torchThreads} thread(s); FMA peak {ceilings.PeakGflops:F0} GFLOP/s, " +
                               $"memory bandwidth {ceilings.BandwidthGBps:F1} GB/s (measured now). Ratio = Tensorlet throughput / libtorch throughput.");
        var table = new Table().AddColumns("case", "shape")
            .AddColumn(new TableColumn("Tensorlet ms").RightAligned()).AddColumn(new TableColumn("libtorch ms").RightAligned())
            .AddColumn(new TableColumn("Tensorlet").RightAligned()).AddColumn(new TableColumn("libtorch").RightAligned())
            .AddColumn(new TableColumn("unit").RightAligned()).AddColumn(new TableColumn("% peak T / L").RightAligned())
            .AddColumn(new TableColumn("ratio").RightAligned());
        foreach (var r in results)
        {
            // Compute-bound cases are compared in GFLOP/s, memory-bound ones in GB/s (the figure their ceiling is in).
            var (ours, theirs, unit) = r.ComputeBound ? (r.TensorletGflops, r.TorchGflops, "GFLOP/s") : (r.TensorletGbps, r.TorchGbps, "GB/s");
            string ratio = r.Ratio.ToString("F2", CultureInfo.InvariantCulture);
            ratio = r.Ratio >= 1 ? $"[green]{ratio}[/]" : r.Ratio < 0.7 ? $"[red]{ratio}[/]" : ratio;
            table.AddRow(Markup.Escape(r.Name), Markup.Escape(r.Shape), r.TensorletMs.ToString("F3"), r.TorchMs.ToString("F3"),
                         ours.ToString("F1"), theirs.ToString("F1"), unit,
                         $"{100 * r.TensorletPeakFraction:F0}% / {100 * r.TorchPeakFraction:F0}%", ratio);
        }
        AnsiConsole.Write(table);
        foreach (var family in results.GroupBy(r => r.Family))
            AnsiConsole.MarkupLine($"  {Markup.Escape(family.Key)}: geometric-mean ratio {GeometricMean(family.Select(r => r.Ratio)):F2} over {family.Count()} case(s)");
    }

    public static double GeometricMean(IEnumerable<double> values)
    {
        var list = values.ToList();
        return list.Count == 0 ? 0 : Math.Exp(list.Average(Math.Log));
    }

    public static void WriteJson(IReadOnlyList<ComparisonResult> results, MachineCeilings ceilings, string loadBefore, string loadAfter, string path)
    {
        var document = new
        {
            machine = new
            {
                threads = ceilings.Threads, peakGflops = ceilings.PeakGflops, bandwidthGBps = ceilings.BandwidthGBps,
                loadAverageBefore = loadBefore, loadAverageAfter = loadAfter,
            },
            results,
        };
        File.WriteAllText(path, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
    }

    public static void WriteCsv(IReadOnlyList<ComparisonResult> results, string path)
    {
        var csv = new StringBuilder("name,family,shape,bound,rounds,tensorlet_ms,libtorch_ms,tensorlet_gflops,libtorch_gflops,tensorlet_gbps,libtorch_gbps,tensorlet_peak_fraction,libtorch_peak_fraction,ratio\n");
        foreach (var r in results)
            csv.AppendLine(string.Join(',', r.Name, r.Family, $"\"{r.Shape}\"", r.ComputeBound ? "compute" : "memory", r.Rounds.ToString(),
                Num(r.TensorletMs), Num(r.TorchMs), Num(r.TensorletGflops), Num(r.TorchGflops), Num(r.TensorletGbps), Num(r.TorchGbps),
                Num(r.TensorletPeakFraction), Num(r.TorchPeakFraction), Num(r.Ratio)));
        File.WriteAllText(path, csv.ToString());
    }

    private static string Num(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
