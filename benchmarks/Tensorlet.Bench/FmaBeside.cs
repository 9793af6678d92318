using Tensorlet.Kernels.Cpu;

namespace Tensorlet.Bench;

/// <summary>
/// The FMA rate probed right beside a compute-bound case, with bursts as long as the case's runs and the same statistic
/// (the median): the figure a case's efficiency is fairly judged against on a host whose clock moves. Within one
/// comparison run the best probe of the FMA peak read 501 GFLOP/s where the others read 456–484, and a GEMM's median run
/// is slower than its fastest by 5–10% on this VM, as the probe's median burst is slower than its best: a median set
/// against a best of many counts the host's noise against the kernel only.
/// </summary>
public static class FmaBeside
{
    /// <summary>How long the probe runs after a case: long enough for a median of tens of bursts.</summary>
    public const double WindowSeconds = 0.4;

    /// <summary>Bursts are as long as the case's median run, within these bounds (shorter ones time thread start-up).</summary>
    public const double MinBurstSeconds = 0.002, MaxBurstSeconds = 0.05;

    /// <summary>
    /// The pause before probing: the engines' idle workers spin after their last job (Tensorlet's for 1 ms, OpenMP's for
    /// a while) and would share the cores with the probe's threads.
    /// </summary>
    public const int SettleMilliseconds = 20;

    /// <summary>
    /// Lets the work a case leaves behind end before a probe: a blocking garbage collection waits for any background one
    /// the case's allocations started (it would hold a core through the probe) and runs the finalizers (TorchSharp's
    /// tensors) now; then <see cref="SettleMilliseconds"/> for spinning workers. About one probe in twenty still reads one
    /// core's rate (215–300 GFLOP/s: 19 of 306 before the collection was added, 20 of 459 after) — the host lending a
    /// core elsewhere for a moment — which is why a case's figure is the median of its blocks' fractions, each against
    /// its own probe.
    /// </summary>
    public static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Thread.Sleep(SettleMilliseconds);
    }

    /// <summary>True for the cases probed: compute-bound kernels (a whole model's layers sit at different points of the roofline).</summary>
    public static bool Applies(CaseSpec spec) => spec.ComputeBound && spec is not ModelSpec;

    /// <summary>
    /// The median GFLOP/s of FMA bursts as long as the case's median run (<paramref name="medianMs"/>), measured now on
    /// <paramref name="threads"/> threads; null where <see cref="Applies"/> is false.
    /// </summary>
    public static double? Measure(CaseSpec spec, double medianMs, int threads)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!Applies(spec)) return null;
        Settle();
        double burst = Math.Clamp(medianMs / 1000, MinBurstSeconds, MaxBurstSeconds);
        return FmaPeak.MeasureTypical(threads, burst, WindowSeconds);
    }
}
