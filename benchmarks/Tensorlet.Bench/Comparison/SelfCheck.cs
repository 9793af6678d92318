namespace Tensorlet.Bench.Comparison;

/// <summary>
/// The harness's self-check for one engine: its figure for each case, block by block, must stay within
/// <see cref="Tolerance"/> of the same engine measured alone in the first block. A figure that drifts further means the
/// machine's load changed under the run (or the engines disturb each other), and the ratios cannot be trusted.
/// </summary>
/// <param name="Engine">The engine checked.</param>
/// <param name="WorstCase">The case whose median strayed furthest from its first-block figure.</param>
/// <param name="WorstDeviation">|median / first − 1| of <paramref name="WorstCase"/>.</param>
/// <param name="WorstSpread">The largest (max − min) / median over blocks, of any case.</param>
/// <param name="Informational">A child whose figures the table does not use (libtorch under the allocator setting that
/// lost, case by case): printed, but its drift does not fail the run.</param>
public sealed record SelfCheck(string Engine, string WorstCase, double WorstDeviation, double WorstSpread, bool Informational = false)
{
    /// <summary>±15%: the largest drift from the first block a figure may show.</summary>
    public const double Tolerance = 0.15;

    public bool Passed => WorstDeviation <= Tolerance;

    /// <summary>
    /// Checks <paramref name="engine"/> from its milliseconds per case, one list per case in block order (the first
    /// entry is the first block's).
    /// </summary>
    public static SelfCheck Of(string engine, IReadOnlyDictionary<string, IReadOnlyList<double>> msByCase, bool informational = false)
    {
        if (msByCase.Count == 0) throw new ArgumentException($"comparison: no figures for engine '{engine}'.", nameof(msByCase));
        string worst = "";
        double deviation = -1, spread = 0;
        foreach (var (name, ms) in msByCase)
        {
            if (ms.Count == 0) throw new ArgumentException($"comparison: engine '{engine}' has no figure for case '{name}'.", nameof(msByCase));
            double median = BenchTimer.Median(ms), d = Math.Abs(median / ms[0] - 1);
            spread = Math.Max(spread, Spread(ms));
            if (d > deviation) (worst, deviation) = (name, d);
        }
        return new SelfCheck(engine, worst, deviation, spread, informational);
    }

    /// <summary>(max − min) / median: how far apart an engine's blocks put one case.</summary>
    public static double Spread(IReadOnlyList<double> ms) => (ms.Max() - ms.Min()) / BenchTimer.Median(ms);

    public override string ToString() =>
        $"{Engine}: {(Passed ? "PASS" : "FAIL")}{(Informational ? " (informational)" : "")} — worst drift from the first block {100 * WorstDeviation:F1}% ({WorstCase}), " +
        $"largest spread over blocks {100 * WorstSpread:F1}% (tolerance ±{100 * Tolerance:F0}%)";
}
