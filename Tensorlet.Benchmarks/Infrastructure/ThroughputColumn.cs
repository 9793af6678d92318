using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Tensorlet.Benchmarks.Infrastructure;

/// <summary>
/// A summary-table column with the throughput of each case: GFLOP/s or GB/s, from the mean time or from the
/// fastest iteration (the best estimate of uncontended speed on a shared, noisy machine). The work per operation
/// comes from the benchmark class's <see cref="IWorkload"/>; classes that do not implement it get blanks.
/// </summary>
public sealed class ThroughputColumn : IColumn
{
    private readonly bool _bytes, _best;

    private ThroughputColumn(bool bytes, bool best)
    {
        _bytes = bytes;
        _best = best;
        ColumnName = (bytes ? "GB/s" : "GFLOP/s") + (best ? " best" : "");
    }

    public static readonly IColumn Gflops = new ThroughputColumn(false, false);
    public static readonly IColumn GflopsBest = new ThroughputColumn(false, true);
    public static readonly IColumn Gbps = new ThroughputColumn(true, false);
    public static readonly IColumn GbpsBest = new ThroughputColumn(true, true);

    public string Id => nameof(ThroughputColumn) + "." + ColumnName;
    public string ColumnName { get; }
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => (_bytes ? 2 : 0) + (_best ? 1 : 0);
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => (_bytes ? "Gigabytes moved per second" : "Billions of floating-point operations per second") +
                            (_best ? ", from the fastest iteration" : ", from the mean time");

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) =>
        summary.BenchmarksCases.Any(c => Amount(c) > 0);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double amount = Amount(benchmarkCase);
        var stats = summary[benchmarkCase]?.ResultStatistics;
        if (amount <= 0 || stats == null) return "-";
        double nanoseconds = _best ? stats.Min : stats.Mean;
        return (amount / nanoseconds).ToString("F1", System.Globalization.CultureInfo.InvariantCulture); // per ns = giga per s
    }

    private double Amount(BenchmarkCase benchmarkCase) =>
        CaseWork.Of(benchmarkCase) is { } w ? (_bytes ? w.Work.Bytes : w.Work.Flops) : 0;

    public override string ToString() => ColumnName;
}

/// <summary>Adds the GFLOP/s, GB/s and % peak columns (mean and best) to a benchmark class implementing <see cref="IWorkload"/>.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ThroughputColumnsAttribute : Attribute, IConfigSource
{
    public IConfig Config { get; } = ManualConfig.CreateEmpty().AddColumn(
        ThroughputColumn.Gflops, ThroughputColumn.GflopsBest, ThroughputColumn.Gbps, ThroughputColumn.GbpsBest,
        PeakFractionColumn.Mean, PeakFractionColumn.Best, StatisticColumn.Min);
}
