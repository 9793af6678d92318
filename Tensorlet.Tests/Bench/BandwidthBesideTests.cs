using System.Diagnostics;
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
        var clock = Stopwatch.StartNew();
        Assert.That(BandwidthBeside.Measure(Case("gemm/512").Spec, 1), Is.Null);
        Assert.That(clock.Elapsed.TotalSeconds, Is.LessThan(FmaBeside.SettleMilliseconds / 1000.0), "a case not probed costs no probe");
    }

    [Test]
    public void TheProbeMeasuresTheCasesOwnWorkingSetSize()
    {
        var spec = Case("softmax/fwd").Spec;
        long size = MachineCeilings.ProbeSizeFor(spec.Bytes);
        Assert.That(size, Is.LessThan(MachineCeilings.MainMemoryBytes), "a set the caches may hold, so the cache-sized probe runs");
        double beside = BandwidthBeside.Measure(spec, 1)!.Value;
        // Noise only lowers a probe: a best of a few probes of the same size bounds it; one far above would mean its byte
        // count is wrong.
        double best = 0;
        for (int attempt = 0; attempt < 3 && best < beside; attempt++)
            best = Math.Max(best, MemoryBandwidth.MeasureAt(1, size, 5));
        TestContext.Out.WriteLine($"beside {beside:F1} GB/s, best of the same size {best:F1} GB/s");
        Assert.That(beside, Is.GreaterThan(0.5));
        Assert.That(beside, Is.LessThanOrEqualTo(1.25 * best));
    }
}
