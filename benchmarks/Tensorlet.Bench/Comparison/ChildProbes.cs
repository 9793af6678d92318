namespace Tensorlet.Bench.Comparison;

/// <summary>
/// The host's main-memory bandwidth on either side of one child of the comparison: the driver probes it before the
/// first child and after every child, so each child sits between two probes. A child ran on a slowed host when either
/// probe reads below <see cref="SlowedFraction"/> of the run's best; such a child is run again, and the first try whose
/// probes are clean takes its place.
/// </summary>
/// <remarks>
/// Why the bandwidth and not the FMA peak: the host's other tenants contend for memory and the shared cache, not for
/// registers. In the fourteenth session's models-4 run the FMA probes read 420–461 GFLOP/s throughout while the
/// bandwidth probe between two of Tensorlet's blocks read 44.6 GB/s against 169–174 elsewhere, and those two blocks ran
/// the whole models 1.3–1.4× slower than its first; libtorch, measured before and after that stretch, held within ±5%.
/// </remarks>
/// <param name="Engine">The child's engine.</param>
/// <param name="Block">The block it measured (a replacement keeps the block it replaces).</param>
/// <param name="Try">0 for the block's own child, 1, 2, … for the children run again in its place.</param>
/// <param name="BeforeGBps">The driver's bandwidth probe just before the child, GB/s.</param>
/// <param name="AfterGBps">The driver's bandwidth probe just after it, GB/s.</param>
public sealed record ChildProbes(string Engine, int Block, int Try, double BeforeGBps, double AfterGBps)
{
    /// <summary>
    /// 60%: a probe below this share of the run's best means the host was slowed. In the nineteen runs of the thirteenth
    /// and fourteenth sessions the probes between blocks read 0.61–1.0 of their run's best but in five runs, where they fell
    /// to 0.26–0.48 (models-4's 0.26 beside its two slowed blocks). Not every such stretch slows every case — conv-1's
    /// convolutions, which the caches hold, ran at their usual speed beside probes of 0.37 — so the rule can cost a run
    /// minutes, never figures.
    /// </summary>
    public const double SlowedFraction = 0.6;

    /// <summary>How many times a slowed child is run again, at most, before the cleanest try is kept as it is.</summary>
    public const int MaxTries = 2;

    /// <summary>The lower of the two probes: the host at its slowest around the child, as far as the probes saw.</summary>
    public double WorstGBps => Math.Min(BeforeGBps, AfterGBps);

    /// <summary>True when either probe beside the child reads below <see cref="SlowedFraction"/> of <paramref name="bestGBps"/>.</summary>
    public bool SlowedAgainst(double bestGBps) => WorstGBps < SlowedFraction * bestGBps;

    /// <summary>
    /// Which of one block's tries (its own child first, then the children run again in its place) gives the block its
    /// figures: the first whose probes are clean against <paramref name="bestGBps"/>, else the one whose slower probe
    /// read the most.
    /// </summary>
    public static ChildProbes Keep(IReadOnlyList<ChildProbes> tries, double bestGBps)
    {
        if (tries.Count == 0) throw new ArgumentException("ChildProbes.Keep: no tries.", nameof(tries));
        var odd = tries.FirstOrDefault(t => t.Engine != tries[0].Engine || t.Block != tries[0].Block);
        if (odd != null)
            throw new ArgumentException($"ChildProbes.Keep: a try of {odd.Engine} block {odd.Block + 1} among those of {tries[0].Engine} block {tries[0].Block + 1}.", nameof(tries));
        return tries.FirstOrDefault(t => !t.SlowedAgainst(bestGBps)) ?? tries.MaxBy(t => t.WorstGBps)!;
    }

    /// <summary>The best probe of a run: the reference every child's probes are judged against.</summary>
    public static double Best(IEnumerable<ChildProbes> children)
    {
        var all = children.SelectMany(c => new[] { c.BeforeGBps, c.AfterGBps }).ToList();
        if (all.Count == 0) throw new ArgumentException("ChildProbes.Best: no children probed.", nameof(children));
        return all.Max();
    }

    /// <summary>
    /// Each block's kept try (<see cref="Keep"/>) among <paramref name="children"/>, every block's tries judged against
    /// the run's best probe; in the order the blocks' own children ran.
    /// </summary>
    public static IReadOnlyList<ChildProbes> Kept(IReadOnlyList<ChildProbes> children)
    {
        double best = Best(children);
        return children.GroupBy(c => (c.Engine, c.Block)).Select(g => Keep(g.OrderBy(c => c.Try).ToList(), best)).ToList();
    }

    /// <summary>One sentence on the host around the run's children: which were slowed, what was run again and kept.</summary>
    public static string Describe(IReadOnlyList<ChildProbes> children)
    {
        double best = Best(children);
        var slowed = children.Where(c => c.SlowedAgainst(best)).ToList();
        string head = $"Host: main-memory bandwidth probed before the first child and after each ({children.Count + 1} probes, best {best:F1} GB/s, " +
                      $"lowest {children.Min(c => c.WorstGBps):F1}); ";
        if (slowed.Count == 0) return head + $"no child ran beside a probe below {100 * SlowedFraction:F0}% of the best.";
        var kept = Kept(children);
        var stillSlowed = kept.Where(k => k.SlowedAgainst(best)).ToList();
        return head + $"beside a probe below {100 * SlowedFraction:F0}% of the best ran " + string.Join(", ", slowed) +
               $". Kept: " + string.Join(", ", kept.Where(k => k.Try > 0 || k.SlowedAgainst(best))) +
               (stillSlowed.Count == 0 ? "." : $"; still beside a slowed host: {string.Join(", ", stillSlowed.Select(k => $"{k.Engine} block {k.Block + 1}"))}.");
    }

    public override string ToString() =>
        $"{Engine} block {Block + 1}{(Try > 0 ? $" (try {Try})" : "")}: {BeforeGBps:F1} / {AfterGBps:F1} GB/s";
}
