using ScottPlot;
using Tensorlet.Bench.Comparison;
using Tensorlet.Kernels.Cpu;

namespace Tensorlet.Benchmarks.Torch;

/// <summary>
/// Draws the comparison as three bar charts: compute-bound kernels in GFLOP/s under the FMA-peak line, memory-bound ones
/// in GB/s under the bandwidth line (on one GFLOP/s axis they would be invisible next to GEMM), and whole models in
/// images/s. Tensorlet and libtorch side by side per case.
/// </summary>
internal static class ComparisonPlot
{
    public static void Save(IReadOnlyList<ComparisonRow> results, MachineCeilings ceilings, string path)
    {
        var compute = results.Where(r => r.Unit == "GFLOP/s").ToList();
        var memory = results.Where(r => r.Unit == "GB/s").ToList();
        var models = results.Where(r => r.Unit == "images/s").ToList();
        // One panel per kind of case the run has: a GEMM-only run drew two empty panels with meaningless axes.
        var panels = new List<Action<Plot>>();
        if (compute.Count > 0)
            panels.Add(p => Panel(p, compute, r => (r.TensorletThroughput, r.TorchThroughput), ceilings.PeakGflops,
                                  $"FMA peak {ceilings.PeakGflops:F0} GFLOP/s", "GFLOP/s", $"Compute-bound cases, {ceilings.Threads} threads"));
        if (memory.Count > 0)
            panels.Add(p => Panel(p, memory, r => (r.TensorletThroughput, r.TorchThroughput), ceilings.BandwidthGBps,
                                  $"main-memory bandwidth {ceilings.BandwidthGBps:F1} GB/s (cache-resident cases go above it)", "GB/s", "Memory-bound cases"));
        if (models.Count > 0)
            panels.Add(p => Panel(p, models, r => (r.TensorletThroughput, r.TorchThroughput), null, "", "images/s", "Whole models, batch 64"));
        if (panels.Count == 0) return;
        var multi = new Multiplot();
        multi.AddPlots(panels.Count);
        multi.Layout = new ScottPlot.MultiplotLayouts.Rows();
        for (int i = 0; i < panels.Count; i++) panels[i](multi.GetPlot(i));
        string temporary = path + ".tmp.png";
        multi.SavePng(temporary, Math.Max(1200, 60 * Math.Max(models.Count, Math.Max(compute.Count, memory.Count))), 550 * panels.Count);
        File.Move(temporary, path, overwrite: true);
    }

    private static void Panel(Plot plot, List<ComparisonRow> rows, Func<ComparisonRow, (double Ours, double Theirs)> value,
                              double? ceiling, string ceilingLabel, string unit, string title)
    {
        var ours = new List<Bar>();
        var theirs = new List<Bar>();
        var ticks = new List<Tick>();
        for (int i = 0; i < rows.Count; i++)
        {
            var (o, t) = value(rows[i]);
            ours.Add(new Bar { Position = 3 * i, Value = o, FillColor = Colors.SteelBlue, Size = 1 });
            theirs.Add(new Bar { Position = 3 * i + 1, Value = t, FillColor = Colors.DarkOrange, Size = 1 });
            ticks.Add(new Tick(3 * i + 0.5, rows[i].Name));
        }
        var oursPlot = plot.Add.Bars(ours);
        oursPlot.LegendText = "Tensorlet";
        var theirsPlot = plot.Add.Bars(theirs);
        theirsPlot.LegendText = "libtorch (TorchSharp)";
        if (ceiling is { } c)
        {
            var line = plot.Add.HorizontalLine(c);
            line.LinePattern = LinePattern.Dashed;
            line.Color = Colors.Black;
            line.LegendText = ceilingLabel;
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = 150;
        plot.Axes.Margins(bottom: 0, top: 0.1);
        plot.Axes.SetLimitsY(0, Math.Max(ceiling ?? 0, rows.Select(r => Math.Max(value(r).Ours, value(r).Theirs)).DefaultIfEmpty(0).Max()) * 1.1);
        plot.YLabel(unit);
        plot.Title(title);
        plot.ShowLegend(Alignment.UpperRight);
    }
}
