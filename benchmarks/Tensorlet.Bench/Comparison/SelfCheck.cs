namespace Tensorlet.Bench.Comparison;

/// <summary>
/// The harness's self-check for one engine. Every block runs each engine alone in a fresh child process, so each block's
/// figure for a case is that engine measured alone; the table's figure is their median. The check asks that a majority
/// of those standalone children corroborate it — lie within <see cref="Tolerance"/> of the median — case by case.
/// A case they do not corroborate is measured again in fresh children after the run, and passes only when a majority of
/// all its children, blocks and re-measures together, lie within the tolerance of the blocks' median.
/// </summary>
/// <remarks>
/// Why a majority and not one reference child: on this shared VM the host slows a whole child by 1.2–1.5× for minutes at
/// a time, on every case and on either engine (thirteenth session, per-child figures over the run's medians), so any one
/// block — the first, which the check once compared against — can fall in such a stretch while the other two agree.
/// A majority cannot be carried by one slow stretch; a run whose children scatter so that no majority agrees fails.
/// </remarks>
/// <param name="Engine">The engine checked.</param>
/// <param name="WorstCase">The case whose median is least corroborated.</param>
/// <param name="WorstDeviation">The <see cref="MajorityDeviation"/> of <paramref name="WorstCase"/> over its blocks.</param>
/// <param name="WorstSpread">The largest (max − min) / median over blocks, of any case.</param>
/// <param name="Informational">A child whose figures the table does not use (libtorch under the allocator setting that
/// lost, case by case): printed, but it does not fail the run.</param>
public sealed record SelfCheck(string Engine, string WorstCase, double WorstDeviation, double WorstSpread, bool Informational = false)
{
    /// <summary>±15%: how close to the median a child must come to corroborate it.</summary>
    public const double Tolerance = 0.15;

    /// <summary>Every case its blocks do not corroborate, and what its re-measures added.</summary>
    public IReadOnlyList<Uncorroborated> Unsettled { get; init; } = [];

    /// <summary>How many blocks each case had.</summary>
    public int Blocks { get; init; }

    /// <summary>
    /// How many of the engine's blocks ran beside a probe of a slowed host even after being run again
    /// (<see cref="ChildProbes"/>): their figures count, but a majority of them would carry every median.
    /// </summary>
    public int SlowedBlocks { get; init; }

    /// <summary>
    /// True when every case's median is corroborated by its blocks or, failing that, by blocks and re-measures together,
    /// and most of the blocks ran on a host that was not slowed.
    /// </summary>
    public bool Passed => (WorstDeviation <= Tolerance || (Unsettled.Any(u => u.Case == WorstCase) && Unsettled.All(u => u.Confirmed)))
                          && (SlowedBlocks == 0 || 2 * SlowedBlocks < Blocks);

    /// <summary>
    /// Checks <paramref name="engine"/> from its milliseconds per case, one figure per block, and
    /// <paramref name="remeasured"/>: each uncorroborated case's milliseconds measured again, one figure per fresh child
    /// (cases missing from it, or with no figure, stay unconfirmed); <paramref name="slowedBlocks"/>: how many of its
    /// blocks' figures come from children beside a slowed host.
    /// </summary>
    public static SelfCheck Of(string engine, IReadOnlyDictionary<string, IReadOnlyList<double>> msByCase, bool informational = false,
                               IReadOnlyDictionary<string, IReadOnlyList<double>>? remeasured = null, int slowedBlocks = 0)
    {
        if (msByCase.Count == 0) throw new ArgumentException($"comparison: no figures for engine '{engine}'.", nameof(msByCase));
        int blocks = msByCase.Values.Max(ms => ms.Count);
        if (slowedBlocks < 0 || slowedBlocks > blocks)
            throw new ArgumentOutOfRangeException(nameof(slowedBlocks), $"comparison: {slowedBlocks} slowed block(s) of engine '{engine}', which has {blocks}.");
        string worst = "";
        double deviation = -1, spread = 0;
        var unsettled = new List<Uncorroborated>();
        foreach (var (name, ms) in msByCase)
        {
            if (ms.Count == 0) throw new ArgumentException($"comparison: engine '{engine}' has no figure for case '{name}'.", nameof(msByCase));
            double median = BenchTimer.Median(ms), d = MajorityDeviation(ms, median);
            spread = Math.Max(spread, Spread(ms));
            if (d > deviation) (worst, deviation) = (name, d);
            if (d > Tolerance)
            {
                var again = remeasured?.GetValueOrDefault(name) ?? [];
                unsettled.Add(new Uncorroborated(name, d, again.Count > 0 ? MajorityDeviation([.. ms, .. again], median) : null)
                              { Blocks = ms.Count, Remeasures = again.Count });
            }
        }
        return new SelfCheck(engine, worst, deviation, spread, informational) { Unsettled = unsettled, Blocks = blocks, SlowedBlocks = slowedBlocks };
    }

    /// <summary>The cases whose blocks do not corroborate their median: the ones to measure again.</summary>
    public static IReadOnlyList<string> ToMeasureAgain(IReadOnlyDictionary<string, IReadOnlyList<double>> msByCase) =>
        msByCase.Where(c => c.Value.Count > 0 && MajorityDeviation(c.Value, BenchTimer.Median(c.Value)) > Tolerance).Select(c => c.Key).ToList();

    /// <summary>
    /// How far from <paramref name="median"/> a majority of <paramref name="ms"/> reaches: the smallest d such that more
    /// than half of the figures lie within |x / median − 1| ≤ d. Within the tolerance, the figures corroborate the median.
    /// </summary>
    public static double MajorityDeviation(IReadOnlyList<double> ms, double median)
    {
        if (ms.Count == 0) throw new ArgumentException("SelfCheck.MajorityDeviation: no figures.", nameof(ms));
        var deviations = ms.Select(x => Math.Abs(x / median - 1)).OrderBy(d => d).ToArray();
        return deviations[ms.Count / 2];
    }

    /// <summary>
    /// The cases a re-measure child runs: the run's cases in block order (<paramref name="caseOrder"/>) up to the last of
    /// <paramref name="unsettled"/>, so each such case meets the process state the blocks gave it (an allocator's heap
    /// grown by the cases before it), not a fresh process's.
    /// </summary>
    public static IReadOnlyList<string> RemeasureList(IReadOnlyList<string> caseOrder, IEnumerable<string> unsettled)
    {
        var set = unsettled.ToHashSet();
        string? stranger = set.FirstOrDefault(n => !caseOrder.Contains(n));
        if (stranger != null) throw new ArgumentException($"comparison: case '{stranger}' to measure again is not a case of this run.", nameof(unsettled));
        int last = -1;
        for (int i = 0; i < caseOrder.Count; i++) if (set.Contains(caseOrder[i])) last = i;
        return caseOrder.Take(last + 1).ToList();
    }

    /// <summary>(max − min) / median: how far apart an engine's blocks put one case.</summary>
    public static double Spread(IReadOnlyList<double> ms) => (ms.Max() - ms.Min()) / BenchTimer.Median(ms);

    public override string ToString()
    {
        string verdict = $"{Engine}: {(Passed ? "PASS" : "FAIL")}{(Informational ? " (informational)" : "")} — a majority of blocks within " +
                         $"{100 * WorstDeviation:F1}% of the median in every case (least: {WorstCase}), largest spread over blocks " +
                         $"{100 * WorstSpread:F1}% (tolerance ±{100 * Tolerance:F0}%)";
        if (SlowedBlocks > 0)
            verdict += $"; {SlowedBlocks} of its {Blocks} blocks beside a slowed host even when run again";
        // An informational child is never measured again, so its unsettled cases add nothing to its line.
        return Unsettled.Count == 0 || Informational ? verdict : verdict + "; beyond it, " + string.Join(", ", Unsettled);
    }

    /// <summary>A case whose blocks do not corroborate its median.</summary>
    /// <param name="Case">The case.</param>
    /// <param name="FromBlocks">The <see cref="MajorityDeviation"/> of its blocks.</param>
    /// <param name="WithRemeasures">The same over blocks and re-measures together, against the blocks' median; null where
    /// the case was not measured again.</param>
    public sealed record Uncorroborated(string Case, double FromBlocks, double? WithRemeasures)
    {
        /// <summary>How many blocks measured the case.</summary>
        public int Blocks { get; init; }

        /// <summary>How many fresh children measured the case again.</summary>
        public int Remeasures { get; init; }

        /// <summary>True when a majority of blocks and re-measures together lie within the tolerance of the median.</summary>
        public bool Confirmed => WithRemeasures <= Tolerance;

        public override string ToString() => WithRemeasures is { } r
            ? $"{Case}: a majority of its {Blocks} blocks within {100 * FromBlocks:F1}% of the median, of its {Blocks} blocks and " +
              $"{Remeasures} re-measure(s) within {100 * r:F1}% ({(Confirmed ? "median confirmed" : "not confirmed")})"
            : $"{Case}: a majority of its {Blocks} blocks within {100 * FromBlocks:F1}% of the median, not re-measured";
    }
}
