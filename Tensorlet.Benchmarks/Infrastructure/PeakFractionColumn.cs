using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Tensorlet.Kernels.Cpu;

namespace Tensorlet.Benchmarks.Infrastructure;

/// <summary>
/// The fraction of the machine's measured ceilings a case reached: the roofline time max(FLOPs / FMA peak,
/// bytes / memory bandwidth) over the measured time, at the case's thread count (<see cref="Work.Threads"/>). The
/// ceilings are measured once per process by <see cref="MachineCeilings.Get"/> in the process that prints the summary,
/// so every row of a run is compared with the same figures, taken in the same run.
/// </summary>
public sealed class PeakFractionColumn : IColumn
{
    private readonly bool _best;

    private PeakFractionColumn(bool best)
    {
        _best = best;
        ColumnName = best ? "% peak best" : "% peak";
    }

    public static readonly IColumn Mean = new PeakFractionColumn(false);
    public static readonly IColumn Best = new PeakFractionColumn(true);

    public string Id => nameof(PeakFractionColumn) + "." + ColumnName;
    public string ColumnName { get; }
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 4 + (_best ? 1 : 0);
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Fraction of the roofline (FMA peak for FLOPs, memory bandwidth for bytes, measured in this run at the case's thread count)" +
                            (_best ? ", from the fastest iteration" : ", from the mean time");

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) =>
        summary.BenchmarksCases.Any(c => CaseWork.Of(c) is { } w && (w.Work.Flops > 0 || w.Work.Bytes > 0));

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var stats = summary[benchmarkCase]?.ResultStatistics;
        if (stats == null || CaseWork.Of(benchmarkCase) is not { } w || (w.Work.Flops <= 0 && w.Work.Bytes <= 0)) return "-";
        // The ceilings are the CPU's; a GPU case has no measured roofline here.
        if (benchmarkCase.Parameters.Items.Any(p => p.Name == "Variant" && p.Value?.ToString() == "Gpu")) return "-";
        double seconds = (_best ? stats.Min : stats.Mean) / 1e9;
        double fraction = MachineCeilings.Get(w.Threads).Fraction(w.Work.Flops, w.Work.Bytes, seconds);
        return (100 * fraction).ToString("F0", System.Globalization.CultureInfo.InvariantCulture) + "%";
    }

    public override string ToString() => ColumnName;
}
