using Tensorlet.Kernels.Cpu;

namespace Tensorlet.Bench;

/// <summary>
/// The bandwidth of a memory-bound case's working set, probed right beside the case. A set about the size of the L3
/// cache, which the host's other tenants share, streams at whatever they leave it from moment to moment: batch norm in
/// eval mode (32 MiB a call) ran at 73–127 GB/s block to block, its fastest calls at 195, while the driver's probes,
/// taken between blocks, read at most 111. A probe beside the case catches the moment the case ran in; the comparison
/// folds it into the run's ceilings (<see cref="MachineCeilings.WithProbeAt"/>), which stay the best of every probe.
/// </summary>
public static class BandwidthBeside
{
    /// <summary>True for the cases probed: memory-bound kernels (a whole model has no single ceiling).</summary>
    public static bool Applies(CaseSpec spec) => !spec.ComputeBound && spec is not ModelSpec && spec.Bytes > 0;

    /// <summary>
    /// GB/s of a working set the size whose probe sets this case's ceiling (<see cref="MachineCeilings.ProbeSizeFor"/>),
    /// measured now on <paramref name="threads"/> threads, the best of <see cref="MachineCeilings.ProbeRepeats"/> rounds
    /// (about a quarter of a second); null where <see cref="Applies"/> is false.
    /// </summary>
    public static double? Measure(CaseSpec spec, int threads)
    {
        if (ProbeBytes(spec) is not long bytes) return null;
        FmaBeside.Settle();
        // MeasureAt takes main memory's probe itself from MainMemoryBytes up.
        return MemoryBandwidth.MeasureAt(threads, bytes, MachineCeilings.ProbeRepeats);
    }

    /// <summary>
    /// The size of the working set <see cref="Measure"/> streams for this case: that of the probe which sets its ceiling
    /// (<see cref="MachineCeilings.ProbeSizeFor"/>); null where <see cref="Applies"/> is false.
    /// </summary>
    public static long? ProbeBytes(CaseSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Applies(spec) ? MachineCeilings.ProbeSizeFor(spec.Bytes) : null;
    }
}
