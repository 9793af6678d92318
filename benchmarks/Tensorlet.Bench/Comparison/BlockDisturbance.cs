using System.Globalization;
using Tensorlet.Kernels.Cpu;

namespace Tensorlet.Bench.Comparison;

/// <summary>
/// Whether a child of the comparison ran on a disturbed machine: a probe it took right beside one of its cases — the FMA
/// rate after a compute-bound case (<see cref="BenchResult.FmaBesideGflops"/>), the working set's bandwidth after a
/// memory-bound one (<see cref="BenchResult.BandwidthBesideGBps"/>) — read below <see cref="Threshold"/> of the best the
/// run has seen for that probe. On a shared host a neighbour can take a core or the L3 for seconds at a time; a block
/// measured then drags its engine's median away from the others, and the self-check fails on the host rather than on
/// either engine. The driver measures such a child again (at most <see cref="MaxRetries"/> times) and lists every
/// re-measured child in its report. The decision rests on the independent probe, never on the case's own figure, and
/// both engines are held to the same rule.
/// </summary>
public static class BlockDisturbance
{
    /// <summary>A beside-probe under 85% of the run's best marks its child disturbed: a calm host gives 90–97%.</summary>
    public const double Threshold = 0.85;

    /// <summary>How many times one child is measured again before its figures are kept as they are.</summary>
    public const int MaxRetries = 2;

    /// <summary>
    /// The first disturbance in <paramref name="run"/> against <paramref name="ceilings"/> (the best probes so far, the
    /// run's own beside-probes folded in), or null when every probe read at least <see cref="Threshold"/> of them.
    /// <paramref name="bytesOf"/> gives a case's working set in bytes, whose bandwidth ceiling its probe is judged by.
    /// </summary>
    public static string? Find(EngineRun run, MachineCeilings ceilings, Func<string, double> bytesOf)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(ceilings);
        ArgumentNullException.ThrowIfNull(bytesOf);
        foreach (var result in run.Results)
        {
            if (result.FmaBesideGflops is { } gflops && gflops > 0 && gflops < Threshold * ceilings.PeakGflops)
                return Describe(run, result.Name, "FMA rate", gflops, ceilings.PeakGflops, "GFLOP/s");
            if (result.BandwidthBesideGBps is { } gbps && gbps > 0)
            {
                double best = ceilings.BandwidthAt(bytesOf(result.Name));
                if (gbps < Threshold * best) return Describe(run, result.Name, "working-set bandwidth", gbps, best, "GB/s");
            }
        }
        return null;
    }

    private static string Describe(EngineRun run, string name, string probe, double value, double best, string unit) =>
        string.Create(CultureInfo.InvariantCulture,
            $"block {run.Block + 1}, {run.Engine}: {probe} beside {name} {value:F1} {unit}, {100 * value / best:F0}% of the run's best {best:F1}");
}
