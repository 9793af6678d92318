namespace Tensorlet.Bench.Comparison;

/// <summary>
/// The harness's self-check for one engine: its figure for each case, the median over blocks, must stay within
/// <see cref="Tolerance"/> of the same engine measured alone in the first block. A figure that drifts further means the
/// machine's load changed under the run (or the engines disturb each other), and the ratios cannot be trusted — unless
/// the case, measured once more alone in a fresh child after the run, lands within the tolerance of the median: then
/// the first block was the outlier (on a shared VM one core is now and then taken for seconds), and the median stands.
/// A re-measure that disagrees too fails the check.
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

    /// <summary>Every case beyond the tolerance from its first block, and how its re-measure compares with its median.</summary>
    public IReadOnlyList<Drift> Drifted { get; init; } = [];

    /// <summary>True when every case is within the tolerance of its first block or, failing that, of its re-measure.</summary>
    public bool Passed => WorstDeviation <= Tolerance || (Drifted.Any(d => d.Case == WorstCase) && Drifted.All(d => d.Confirmed));

    /// <summary>
    /// Checks <paramref name="engine"/> from its milliseconds per case, one list per case in block order (the first
    /// entry is the first block's), and <paramref name="remeasured"/>: each drifted case's milliseconds measured again
    /// alone, one figure per fresh child (cases missing from it, or with no figure, stay unconfirmed).
    /// </summary>
    public static SelfCheck Of(string engine, IReadOnlyDictionary<string, IReadOnlyList<double>> msByCase, bool informational = false,
                               IReadOnlyDictionary<string, IReadOnlyList<double>>? remeasured = null)
    {
        if (msByCase.Count == 0) throw new ArgumentException($"comparison: no figures for engine '{engine}'.", nameof(msByCase));
        string worst = "";
        double deviation = -1, spread = 0;
        var drifted = new List<Drift>();
        foreach (var (name, ms) in msByCase)
        {
            if (ms.Count == 0) throw new ArgumentException($"comparison: engine '{engine}' has no figure for case '{name}'.", nameof(msByCase));
            double median = BenchTimer.Median(ms), d = FromFirstBlock(ms);
            spread = Math.Max(spread, Spread(ms));
            if (d > deviation) (worst, deviation) = (name, d);
            if (d > Tolerance)
            {
                var again = remeasured?.GetValueOrDefault(name) ?? [];
                drifted.Add(new Drift(name, d, again.Count > 0 ? Math.Abs(median / BenchTimer.Median(again) - 1) : null) { Remeasures = again.Count });
            }
        }
        return new SelfCheck(engine, worst, deviation, spread, informational) { Drifted = drifted };
    }

    /// <summary>The cases whose median strays beyond the tolerance from their first block: the ones to measure again.</summary>
    public static IReadOnlyList<string> Drifting(IReadOnlyDictionary<string, IReadOnlyList<double>> msByCase) =>
        msByCase.Where(c => c.Value.Count > 0 && FromFirstBlock(c.Value) > Tolerance).Select(c => c.Key).ToList();

    /// <summary>
    /// The cases a re-measure child runs: the run's cases in block order (<paramref name="caseOrder"/>) up to the last of
    /// <paramref name="drifted"/>, so each drifted case meets the process state the blocks gave it (an allocator's heap
    /// grown by the cases before it), not a fresh process's.
    /// </summary>
    public static IReadOnlyList<string> RemeasureList(IReadOnlyList<string> caseOrder, IEnumerable<string> drifted)
    {
        var set = drifted.ToHashSet();
        string? stranger = set.FirstOrDefault(n => !caseOrder.Contains(n));
        if (stranger != null) throw new ArgumentException($"comparison: drifted case '{stranger}' is not a case of this run.", nameof(drifted));
        int last = -1;
        for (int i = 0; i < caseOrder.Count; i++) if (set.Contains(caseOrder[i])) last = i;
        return caseOrder.Take(last + 1).ToList();
    }

    // |median / first − 1|: how far a case's figure strays from its first block.
    private static double FromFirstBlock(IReadOnlyList<double> ms) => Math.Abs(BenchTimer.Median(ms) / ms[0] - 1);

    /// <summary>(max − min) / median: how far apart an engine's blocks put one case.</summary>
    public static double Spread(IReadOnlyList<double> ms) => (ms.Max() - ms.Min()) / BenchTimer.Median(ms);

    public override string ToString()
    {
        string verdict = $"{Engine}: {(Passed ? "PASS" : "FAIL")}{(Informational ? " (informational)" : "")} — worst drift from the first block " +
                         $"{100 * WorstDeviation:F1}% ({WorstCase}), largest spread over blocks {100 * WorstSpread:F1}% (tolerance ±{100 * Tolerance:F0}%)";
        // An informational child is never measured again, so its drifted cases add nothing to its line.
        return Drifted.Count == 0 || Informational ? verdict : verdict + "; beyond it, " + string.Join(", ", Drifted);
    }

    /// <summary>A case beyond the tolerance from its first block.</summary>
    /// <param name="Case">The case.</param>
    /// <param name="FromFirstBlock">|median / first − 1|.</param>
    /// <param name="FromRemeasure">|median / median of the re-measures − 1|, or null where the case was not measured again.</param>
    public sealed record Drift(string Case, double FromFirstBlock, double? FromRemeasure)
    {
        /// <summary>How many fresh children measured the case again.</summary>
        public int Remeasures { get; init; }

        /// <summary>True when the median of the re-measures lands within the tolerance of the run's median.</summary>
        public bool Confirmed => FromRemeasure <= Tolerance;

        public override string ToString() => FromRemeasure is { } r
            ? $"{Case} {100 * FromFirstBlock:F1}% from its first block, {100 * r:F1}% from the median of {Remeasures} re-measure(s) ({(Confirmed ? "median confirmed" : "not confirmed")})"
            : $"{Case} {100 * FromFirstBlock:F1}% from its first block, not re-measured";
    }
}
