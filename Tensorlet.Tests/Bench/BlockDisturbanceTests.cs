using Tensorlet.Bench;
using Tensorlet.Bench.Comparison;
using Tensorlet.Kernels.Cpu;

namespace Tensorlet.Tests.Bench;

/// <summary>
/// The comparison's rule for a child measured on a disturbed host: a probe beside a case under 85% of the run's best
/// marks it, naming the block, the engine, the case and both figures; probes at or above that, or absent, do not.
/// </summary>
public class BlockDisturbanceTests
{
    // Main memory's ceiling holds from MainMemoryBytes up, so these ceilings need no probe of a cache-sized set.
    private static readonly MachineCeilings Ceilings = new(2, PeakGflops: 440, BandwidthGBps: 80);
    private const double MainMemoryCase = MachineCeilings.MainMemoryBytes;

    private static BenchResult Result(string name, double? fma = null, double? gbps = null) =>
        new(name, "gemm", "shape", 2, 1.9, 5, 300, 1, fma != null ? "compute" : "memory", null, null, null, 2, "cpu",
            FmaBesideGflops: fma, BandwidthBesideGBps: gbps);

    private static EngineRun Run(params BenchResult[] results) => new("libtorch", 1, results, new Dictionary<string, long>());

    [Test]
    public void AnFmaProbeUnderThresholdMarksTheChild()
    {
        string? found = BlockDisturbance.Find(Run(Result("gemm/512", fma: 420), Result("gemm/1024", fma: 230)), Ceilings, _ => 1e6);
        Assert.That(found, Is.Not.Null);
        Assert.That(found, Does.Contain("block 2, libtorch").And.Contain("gemm/1024").And.Contain("230.0").And.Contain("440.0").And.Contain("52%"));
    }

    [Test]
    public void ABandwidthProbeIsJudgedAgainstItsWorkingSetsCeiling()
    {
        string? found = BlockDisturbance.Find(Run(Result("add/64m", gbps: 60)), Ceilings, _ => MainMemoryCase);
        Assert.That(found, Does.Contain("working-set bandwidth").And.Contain("add/64m").And.Contain("75%"));
        Assert.That(BlockDisturbance.Find(Run(Result("add/64m", gbps: 70)), Ceilings, _ => MainMemoryCase), Is.Null, "87.5% of 80 is calm");
    }

    [Test]
    public void ProbesAtOrAboveThresholdOrAbsentPass()
    {
        double edge = BlockDisturbance.Threshold * Ceilings.PeakGflops;
        var run = Run(Result("gemm/512", fma: edge), Result("gemm/1024", fma: 460), Result("reduce/sum-cols"), Result("x", fma: 0));
        Assert.That(BlockDisturbance.Find(run, Ceilings, _ => MainMemoryCase), Is.Null);
    }

    [Test]
    public void MissingArgumentsAreRefused()
    {
        var run = Run(Result("gemm/512", fma: 400));
        Assert.Throws<ArgumentNullException>(() => BlockDisturbance.Find(null!, Ceilings, _ => 1));
        Assert.Throws<ArgumentNullException>(() => BlockDisturbance.Find(run, null!, _ => 1));
        Assert.Throws<ArgumentNullException>(() => BlockDisturbance.Find(run, Ceilings, null!));
    }

    [Test]
    public void TheReportSaysWhetherAnyChildWasMeasuredAgain()
    {
        Assert.That(ComparisonMarkdown.RemeasuredHeading([]), Does.StartWith("Disturbed children: none"));
        Assert.That(ComparisonMarkdown.RemeasuredHeading(["block 1, tensorlet: …"]), Does.StartWith("Disturbed children (1;"));
    }
}
