using ScottPlot;

namespace Tensorlet.Cli.Training;

/// <summary>Draws the loss and accuracy curves of a run into a PNG (<c>curves.png</c>): loss on the left, accuracy on the right.</summary>
internal static class CurvePlot
{
    public static void Save(IReadOnlyList<EpochRecord> records, string path, string title)
    {
        if (records.Count == 0) return;
        double[] epochs = records.Select(r => (double)r.Epoch).ToArray();
        var multi = new Multiplot();
        multi.AddPlots(2);
        multi.Layout = new ScottPlot.MultiplotLayouts.Columns();

        var loss = multi.GetPlot(0);
        loss.Add.Scatter(epochs, records.Select(r => r.TrainLoss).ToArray()).LegendText = "train";
        loss.Add.Scatter(epochs, records.Select(r => r.TestLoss).ToArray()).LegendText = "test";
        loss.Title($"{title}: loss");
        loss.XLabel("epoch");
        loss.YLabel("cross-entropy");
        loss.ShowLegend();

        var acc = multi.GetPlot(1);
        acc.Add.Scatter(epochs, records.Select(r => 100 * r.TrainAccuracy).ToArray()).LegendText = "train";
        acc.Add.Scatter(epochs, records.Select(r => 100 * r.TestAccuracy).ToArray()).LegendText = "test";
        acc.Title($"{title}: accuracy");
        acc.XLabel("epoch");
        acc.YLabel("accuracy (%)");
        acc.ShowLegend();

        var tmp = path + ".tmp.png";
        multi.SavePng(tmp, 1200, 450);
        File.Move(tmp, path, overwrite: true);
    }
}
