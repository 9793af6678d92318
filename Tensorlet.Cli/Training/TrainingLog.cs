using System.Globalization;

namespace Tensorlet.Cli.Training;

/// <summary>One epoch's results, as written to the CSV log and drawn in the plot.</summary>
internal sealed record EpochRecord(int Epoch, double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy,
                                   double LearningRate, double Seconds, double ImagesPerSecond);

/// <summary>
/// The CSV log of a run (<c>log.csv</c> in the output directory): a header, then one row per epoch. On resume the
/// existing rows are read back, so the log and plot cover the whole run. It also keeps the per-step loss series
/// (<see cref="StepLog"/>, <c>steps.csv</c> in the same directory), written with each epoch's row.
/// </summary>
internal sealed class TrainingLog
{
    public const string Header = "epoch,train_loss,train_acc,test_loss,test_acc,lr,seconds,images_per_s";
    public const string StepsFile = "steps.csv";
    private readonly string _path;
    private readonly List<EpochRecord> _records = new();

    public TrainingLog(string path, bool resume)
    {
        _path = path;
        if (resume && File.Exists(path)) _records.AddRange(Read(path));
        Steps = new StepLog(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, StepsFile), resume);
        Rewrite();
    }

    public IReadOnlyList<EpochRecord> Records => _records;

    /// <summary>The per-step loss series.</summary>
    public StepLog Steps { get; }

    /// <summary>Records one optimizer step's training loss (kept in memory, written with the next epoch's row).</summary>
    public void AddStep(long step, double loss) => Steps.Add(step, loss);

    /// <summary>Appends a row (dropping rows of epochs at or after it, left by a run that was resumed from earlier).</summary>
    public void Add(EpochRecord record)
    {
        _records.RemoveAll(r => r.Epoch >= record.Epoch);
        _records.Add(record);
        Rewrite();
    }

    private void Rewrite()
    {
        var inv = CultureInfo.InvariantCulture;
        CsvLog.Write(_path, Header, _records.Select(r => string.Join(',',
            r.Epoch.ToString(inv), r.TrainLoss.ToString("G9", inv), r.TrainAccuracy.ToString("G9", inv), r.TestLoss.ToString("G9", inv),
            r.TestAccuracy.ToString("G9", inv), r.LearningRate.ToString("G9", inv), r.Seconds.ToString("F3", inv), r.ImagesPerSecond.ToString("F1", inv))));
        Steps.Save();
    }

    private static IEnumerable<EpochRecord> Read(string path)
    {
        var inv = CultureInfo.InvariantCulture;
        foreach (var f in CsvLog.Read(path, Header, "training log"))
        {
            double D(int k) => double.Parse(f[k], inv);
            yield return new EpochRecord(int.Parse(f[0], inv), D(1), D(2), D(3), D(4), D(5), D(6), D(7));
        }
    }
}
