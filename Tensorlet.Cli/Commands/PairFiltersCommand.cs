using System.CommandLine;
using ScottPlot;
using Spectre.Console;
using Tensorlet.IO;
using Tensorlet.Models.Analysis;

namespace Tensorlet.Cli.Commands;

/// <summary>
/// <c>tensorlet pair-filters</c>: the pair-filter analysis of Shang et al. (ICML 2016) on one conv weight of a checkpoint —
/// for each filter, the cosine similarity with its most negatively correlated partner, histogrammed next to the same
/// statistic for random Gaussian filters of the same shape.
/// </summary>
internal static class PairFiltersCommand
{
    private const string ModelPrefix = "model.";

    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Checkpoint (safetensors) written by tensorlet train", Required = true };
        var layer = new Option<string?>("--layer") { Description = "State-dict name of a 4-D conv weight, e.g. features.0.weight (default: the first 4-D weight)" };
        var bins = new Option<int>("--bins") { Description = "Histogram bins over [-1, 1]", DefaultValueFactory = _ => 20 };
        var png = new Option<string?>("--png", "--plot") { Description = "Also draw both histograms into this PNG (the CReLU paper's figure)" };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the random reference filters", DefaultValueFactory = _ => 0UL };
        var command = new Command("pair-filters", "Pair-filter analysis (CReLU paper, Fig. 2): do a conv layer's filters come in opposite pairs?")
        {
            checkpoint, layer, bins, png, seed,
        };
        command.SetAction(r =>
        {
            string path = r.GetValue(checkpoint)!;
            if (!File.Exists(path)) throw new FileNotFoundException($"Checkpoint '{path}' does not exist.");
            int binCount = r.GetValue(bins);
            if (binCount <= 0) throw new ArgumentOutOfRangeException("--bins", binCount, "pair-filters: --bins must be positive.");
            var tensors = SafeTensors.Load(path);
            try
            {
                var (name, weight) = SelectWeight(tensors, r.GetValue(layer), path);
                var result = PairFilterAnalysis.Analyze(weight, binCount, new Generator(r.GetValue(seed)));
                Print(name, weight, result);
                if (r.GetValue(png) is { } pngPath)
                {
                    Draw(name, result, pngPath);
                    AnsiConsole.MarkupLine($"Histogram written to [bold]{Markup.Escape(pngPath)}[/]");
                }
            }
            finally
            {
                foreach (var t in tensors.Values) t.Dispose();
            }
            return 0;
        });
        return command;
    }

    /// <summary>The named weight (with or without the "model." prefix), else the first 4-D model tensor in file order.</summary>
    internal static (string Name, Tensor Weight) SelectWeight(IReadOnlyDictionary<string, Tensor> tensors, string? layer, string path)
    {
        var model = tensors.Where(kv => kv.Key.StartsWith(ModelPrefix, StringComparison.Ordinal))
                           .Select(kv => (Name: kv.Key[ModelPrefix.Length..], Weight: kv.Value)).ToList();
        if (layer is null)
        {
            foreach (var (name, w) in model)
                if (w.Rank == 4) return (name, w);
            throw new InvalidDataException($"'{path}' holds no 4-D model weight (no convolution to analyse).");
        }
        string wanted = layer.StartsWith(ModelPrefix, StringComparison.Ordinal) ? layer[ModelPrefix.Length..] : layer;
        foreach (var (name, w) in model)
        {
            if (name != wanted) continue;
            if (w.Rank != 4) throw new ArgumentException($"pair-filters: '{name}' in '{path}' has shape {Shape.Format(w.Shape)}, not a conv weight [K, C, kh, kw].");
            return (name, w);
        }
        var convs = string.Join(", ", model.Where(m => m.Weight.Rank == 4).Select(m => m.Name));
        throw new ArgumentException($"pair-filters: '{path}' has no tensor '{ModelPrefix}{wanted}'. Conv weights: {convs}.");
    }

    private static void Print(string name, Tensor weight, PairFilterResult result)
    {
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(name)}[/] {Markup.Escape(Shape.Format(weight.Shape))}: " +
                               $"mean μ {result.Mu.Average():F3} (random filters: {result.RandomMu.Average():F3})");
        var table = new Table().AddColumn("μ bin").AddColumn(new TableColumn("layer").RightAligned())
                               .AddColumn(new TableColumn("random").RightAligned());
        var h = result.Histogram;
        for (int b = 0; b < h.Counts.Length; b++)
            table.AddRow($"[[{h.Edges[b],6:F2}, {h.Edges[b + 1],6:F2})", h.Counts[b].ToString(), result.RandomHistogram.Counts[b].ToString());
        AnsiConsole.Write(table);
    }

    private static void Draw(string name, PairFilterResult result, string path)
    {
        var plot = new Plot();
        var h = result.Histogram;
        double width = h.Edges[1] - h.Edges[0];
        // Two bars per bin, side by side, so both distributions stay readable where they overlap.
        var layerBars = plot.Add.Bars(h.Edges[..^1].Select(e => e + 0.3 * width).ToArray(), h.Counts.Select(c => (double)c).ToArray());
        var randomBars = plot.Add.Bars(h.Edges[..^1].Select(e => e + 0.7 * width).ToArray(),
                                       result.RandomHistogram.Counts.Select(c => (double)c).ToArray());
        foreach (var bar in layerBars.Bars) bar.Size = 0.4 * width;
        foreach (var bar in randomBars.Bars) bar.Size = 0.4 * width;
        layerBars.LegendText = name;
        randomBars.LegendText = "random Gaussian filters";
        plot.Title($"Pair filters: {name}");
        plot.XLabel("μ = min_j cos(φ_i, φ_j)");
        plot.YLabel("filters");
        plot.ShowLegend();
        plot.SavePng(path, 800, 450);
    }
}
