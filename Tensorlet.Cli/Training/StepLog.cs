using System.Globalization;

namespace Tensorlet.Cli.Training;

/// <summary>One optimizer step's loss and its smoothed value, as written to <c>steps.csv</c> and drawn in the plot.</summary>
public sealed record StepRecord(long Step, double Loss, double SmoothedLoss);

/// <summary>
/// The per-step loss series of a run (<c>steps.csv</c> beside <c>log.csv</c>): every batch's loss and an exponential
/// moving average of it, so that even a one-epoch run has a curve to look at. The average is bias-corrected (divided by
/// 1 − βᵗ, as Adam does for its moments) so the first steps are not pulled towards zero.
/// </summary>
public sealed class StepLog
{
    public const string Header = "step,loss,smoothed_loss";

    /// <summary>β of the moving average: about the last 1/(1 − β) = 10 steps carry its weight, short enough for a 60-step epoch.</summary>
    public const double Beta = 0.9;

    private readonly string _path;
    private readonly List<(long Step, double Loss)> _losses = new();

    public StepLog(string path, bool resume)
    {
        _path = path;
        if (resume && File.Exists(path)) _losses.AddRange(Read(path));
    }

    /// <summary>Every step so far with its smoothed loss, recomputed from the raw series so a resumed run smooths exactly as a straight one.</summary>
    public IReadOnlyList<StepRecord> Records
    {
        get
        {
            var smoothed = Smooth(_losses.Select(l => l.Loss).ToList(), Beta);
            return _losses.Select((l, i) => new StepRecord(l.Step, l.Loss, smoothed[i])).ToList();
        }
    }

    /// <summary>Records step <paramref name="step"/>'s loss, dropping steps at or after it left by a run resumed from earlier.</summary>
    public void Add(long step, double loss)
    {
        while (_losses.Count > 0 && _losses[^1].Step >= step) _losses.RemoveAt(_losses.Count - 1);
        _losses.Add((step, loss));
    }

    /// <summary>The bias-corrected exponential moving average of <paramref name="values"/>.</summary>
    public static double[] Smooth(IReadOnlyList<double> values, double beta)
    {
        if (beta is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta), beta, "StepLog: β must lie in [0, 1).");
        var result = new double[values.Count];
        double ema = 0, weight = 1;
        for (int i = 0; i < values.Count; i++)
        {
            ema = beta * ema + (1 - beta) * values[i];
            weight *= beta;
            result[i] = ema / (1 - weight);
        }
        return result;
    }

    /// <summary>Writes the file (called once per epoch, not per step, so logging costs nothing measurable).</summary>
    public void Save()
    {
        var inv = CultureInfo.InvariantCulture;
        CsvLog.Write(_path, Header, Records.Select(r => string.Join(',', r.Step.ToString(inv), r.Loss.ToString("G9", inv), r.SmoothedLoss.ToString("G9", inv))));
    }

    private static IEnumerable<(long, double)> Read(string path) =>
        CsvLog.Read(path, Header, "step log").Select(f => (long.Parse(f[0], CultureInfo.InvariantCulture), double.Parse(f[1], CultureInfo.InvariantCulture)));
}
