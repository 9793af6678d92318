using ScottPlot;

namespace Tensorlet.Cli.Training;

/// <summary>
/// Draws the curves of a run into a PNG (<c>curves.png</c>): the per-step training loss (raw and smoothed) on the left,
/// then the per-epoch loss and accuracy. The step panel is what makes a one-epoch run readable: its epoch panels hold
/// one point each.
/// </summary>
internal static class CurvePlot
{
    public static void Save(TrainingLog log, string path, string title)
    {
        var records = log.Records;
        if (records.Count == 0) return;
        double[] epochs = records.Select(r => (double)r.Epoch).ToArray();
        var multi = new Multiplot();
        multi.AddPlots(3);
        multi.Layout = new ScottPlot.MultiplotLayouts.Columns();

        var steps = log.Steps.Records;
        var stepPlot = multi.GetPlot(0);
        if (steps.Count > 0)
        {
            double[] x = steps.Select(s => (double)s.Step).ToArray();
            var raw = stepPlot.Add.ScatterLine(x, steps.Select(s => s.Loss).ToArray());
            raw.LegendText = "batch loss";
            raw.Color = Colors.Gray.WithAlpha(0.5);
            var smooth = stepPlot.Add.ScatterLine(x, steps.Select(s => s.SmoothedLoss).ToArray());
            smooth.LegendText = $"moving average (β = {StepLog.Beta})";
            smooth.LineWidth = 2;
        }
        stepPlot.Title($"{title}: loss per step");
        stepPlot.XLabel("step");
        stepPlot.YLabel("cross-entropy");
        stepPlot.ShowLegend();

        var loss = multi.GetPlot(1);
        loss.Add.Scatter(epochs, records.Select(r => r.TrainLoss).ToArray()).LegendText = "train";
        loss.Add.Scatter(epochs, records.Select(r => r.TestLoss).ToArray()).LegendText = "test";
        loss.Title($"{title}: loss per epoch");
        loss.XLabel("epoch");
        loss.YLabel("cross-entropy");
        loss.ShowLegend();

        var acc = multi.GetPlot(2);
        acc.Add.Scatter(epochs, records.Select(r => 100 * r.TrainAccuracy).ToArray()).LegendText = "train";
        acc.Add.Scatter(epochs, records.Select(r => 100 * r.TestAccuracy).ToArray()).LegendText = "test";
        acc.Title($"{title}: accuracy");
        acc.XLabel("epoch");
        acc.YLabel("accuracy (%)");
        acc.ShowLegend();

        var tmp = path + ".tmp.png";
        multi.SavePng(tmp, 1800, 450);
        File.Move(tmp, path, overwrite: true);
    }
}
