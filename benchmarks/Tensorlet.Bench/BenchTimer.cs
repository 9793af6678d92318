using System.Diagnostics;

namespace Tensorlet.Bench;

/// <summary>How long to warm up and how many timed runs to take.</summary>
/// <param name="WarmupRuns">Untimed runs first (JIT tiers, pool buffers, caches), at least this many...</param>
/// <param name="WarmupSeconds">...and until this much time has passed.</param>
/// <param name="MinRuns">Timed runs: at least this many...</param>
/// <param name="MaxRuns">...at most this many...</param>
/// <param name="BudgetSeconds">...and no more once this much time has been spent timing (after <paramref name="MinRuns"/>).</param>
public sealed record TimingOptions(int WarmupRuns, double WarmupSeconds, int MinRuns, int MaxRuns, double BudgetSeconds)
{
    /// <summary><c>tensorlet bench --quick</c>: about a fifth of a second per case.</summary>
    public static TimingOptions Quick { get; } = new(2, 0.1, 3, 50, 0.1);

    /// <summary>
    /// The default run: about a second and a half per case, fast cases included. A run cap of 500 had stopped a
    /// 0.3 ms case after 0.15 s, and on a shared host so short a window caught one burst of a neighbour's load or
    /// missed it: batch norm eval's median moved by up to 1.6× between blocks of one comparison.
    /// </summary>
    public static TimingOptions Full { get; } = new(2, 0.3, 10, 20_000, 1.2);
}

/// <summary>Times of the timed runs of one case, in milliseconds.</summary>
public sealed record Timing(IReadOnlyList<double> RunsMs)
{
    /// <summary>The median run: robust to the stray slow run a shared machine produces.</summary>
    public double MedianMs => BenchTimer.Median(RunsMs);

    /// <summary>The fastest run: the best estimate of uncontended speed.</summary>
    public double MinMs => RunsMs.Min();
}

/// <summary>
/// Warm-up, then repeated timed runs: a dependency-free stand-in for a benchmarking harness, good enough for one
/// number per case in seconds. Each run is timed on its own (no batching of calls), which is sound for the
/// millisecond-scale operations <c>tensorlet bench</c> measures.
/// </summary>
public static class BenchTimer
{
    /// <summary>
    /// Runs <paramref name="run"/> as <paramref name="options"/> say and returns the timed runs. <paramref name="clock"/>
    /// (ticks of <paramref name="ticksPerSecond"/>) defaults to <see cref="Stopwatch"/>; tests pass a fake one.
    /// </summary>
    public static Timing Measure(Action run, TimingOptions options, Func<long>? clock = null, double ticksPerSecond = 0)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (options.MinRuns < 1 || options.MaxRuns < options.MinRuns)
            throw new ArgumentException($"BenchTimer: need 1 ≤ MinRuns ≤ MaxRuns, got {options.MinRuns} and {options.MaxRuns}.");
        clock ??= Stopwatch.GetTimestamp;
        if (ticksPerSecond <= 0) ticksPerSecond = Stopwatch.Frequency;

        long warmupStart = clock();
        for (int i = 0; i < options.WarmupRuns || (clock() - warmupStart) / ticksPerSecond < options.WarmupSeconds; i++) run();

        var times = new List<double>();
        long start = clock();
        while (times.Count < options.MinRuns ||
               (times.Count < options.MaxRuns && (clock() - start) / ticksPerSecond < options.BudgetSeconds))
        {
            long before = clock();
            run();
            times.Add((clock() - before) * 1000.0 / ticksPerSecond);
        }
        return new Timing(times);
    }

    /// <summary>The median: the middle value, or the mean of the two middle values of an even count.</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("BenchTimer.Median: no values.", nameof(values));
        var sorted = values.OrderBy(v => v).ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
