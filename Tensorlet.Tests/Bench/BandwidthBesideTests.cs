using Tensorlet.Bench;
using Tensorlet.Kernels.Cpu;

namespace Tensorlet.Tests.Bench;

/// <summary>The bandwidth probed beside a memory-bound case: which cases it applies to, and that it is a real rate of the set's size.</summary>
public class BandwidthBesideTests
{
    private static BenchCase Case(string name) => BenchCatalog.All.Single(c => c.Name == name);

    [Test]
    public void OnlyMemoryBoundKernelsAreProbed()
    {
        Assert.That(BandwidthBeside.Applies(Case("batchnorm/eval/fwd").Spec), Is.True);
        Assert.That(BandwidthBeside.Applies(Case("reduce/sum-cols").Spec), Is.True);
        Assert.That(BandwidthBeside.Applies(Case("gemm/512").Spec), Is.False, "judged against the FMA peak");
        Assert.That(BandwidthBeside.Applies(Case("train/resnet20-b/64").Spec), Is.False, "a whole model has no single ceiling");
        Assert.That(BandwidthBeside.Measure(Case("gemm/512").Spec, 1), Is.Null, "a case not probed costs no probe");
    }

    [Test]
    public void TheProbeStreamsTheSizeThatSetsTheCasesCeiling()
    {
        // The size is checked, not a timed rate: a cache-sized probe on a shared host swings ±30% call to call, so a bound
        // between two timings (it once read 96 GB/s beside a best of 73) fails on noise, not on a wrong size.
        var softmax = Case("softmax/fwd").Spec;
        Assert.That(BandwidthBeside.ProbeBytes(softmax), Is.EqualTo(MachineCeilings.ProbeSizeFor(softmax.Bytes)));
        Assert.That(BandwidthBeside.ProbeBytes(softmax), Is.LessThan(MachineCeilings.MainMemoryBytes), "a set the caches may hold, so the cache-sized probe runs");
        var eval = Case("batchnorm/eval/fwd").Spec;
        Assert.That(BandwidthBeside.ProbeBytes(eval), Is.EqualTo(MachineCeilings.ProbeSizeFor(eval.Bytes)));
        Assert.That(BandwidthBeside.ProbeBytes(eval), Is.Not.EqualTo(BandwidthBeside.ProbeBytes(softmax)), "each case its own size");
        Assert.That(BandwidthBeside.ProbeBytes(Case("gemm/512").Spec), Is.Null);
        Assert.That(Assert.Throws<ArgumentNullException>(() => BandwidthBeside.ProbeBytes(null!))!.ParamName, Is.EqualTo("spec"));
        Assert.That(BandwidthBeside.Measure(softmax, 1), Is.GreaterThan(0.5), "a real rate");
    }
}
