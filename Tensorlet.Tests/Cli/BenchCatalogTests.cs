using Tensorlet.Cli.Bench;
using Tensorlet.Kernels;
using Tensorlet.Kernels.Cpu;

namespace Tensorlet.Tests.Cli;

/// <summary>The cases of <c>tensorlet bench</c>: names, filters, the work they count, and the roofline fraction.</summary>
public class BenchCatalogTests
{
    [Test]
    public void NamesAreUniqueAndCoverEveryFamily()
    {
        var names = BenchCatalog.All.Select(c => c.Name).ToList();
        Assert.That(names, Is.Unique);
        Assert.That(BenchCatalog.All.Select(c => c.Family).Distinct(),
                    Is.EquivalentTo(new[] { "gemm", "conv", "elementwise", "reduce", "pool", "batchnorm", "softmax", "cross-entropy", "train" }));
        foreach (var layer in "abcdef")
            Assert.That(names, Does.Contain($"conv/{layer}/fwd").And.Contain($"conv/{layer}/fwd+bwd"));
    }

    [Test]
    public void FilterIsASubstringOrACaseInsensitiveGlob()
    {
        Assert.That(BenchCatalog.Matches("conv/a/fwd+bwd", "a/fwd"), Is.True);
        Assert.That(BenchCatalog.Matches("conv/a/fwd+bwd", "conv/*/fwd"), Is.False);
        Assert.That(BenchCatalog.Matches("conv/a/fwd", "CONV/*/fwd"), Is.True);
        Assert.That(BenchCatalog.Matches("conv/a/fwd", "conv/?/fwd"), Is.True);
        Assert.That(BenchCatalog.Filter("conv/*/fwd+bwd").Select(c => c.Name),
                    Is.EqualTo("abcdef".Select(l => $"conv/{l}/fwd+bwd")));
        Assert.That(BenchCatalog.Filter(null), Has.Count.EqualTo(BenchCatalog.All.Count));
    }

    [Test]
    public void ConvolutionWorkMatchesTheKernelGeometry()
    {
        foreach (var c in BenchCatalog.All.Where(c => c.Spec is ConvSpec).Select(c => (ConvSpec)c.Spec))
        {
            var g = new Conv2dGeometry(c.N, c.C, c.H, c.W, c.K, c.Kernel, c.Kernel, c.Stride, c.Stride, c.Padding, c.Padding, Groups: c.Groups);
            Assert.That(c.ForwardFlops, Is.EqualTo(g.Flops), c.Shape);
            Assert.That(c.Flops, Is.EqualTo((c.Backward ? 3 : 1) * g.Flops), c.Shape);
            Assert.That((c.OutH, c.OutW), Is.EqualTo((g.OutH, g.OutW)), c.Shape);
        }
    }

    [Test]
    public void FractionIsOfTheNearerCeiling()
    {
        var ceilings = new MachineCeilings(2, PeakGflops: 200, BandwidthGBps: 40);
        // 2 GFLOP in 10 ms is 200 GFLOP/s: exactly the peak. 0.2 GB in 10 ms is 20 GB/s: half the bandwidth.
        Assert.That(ceilings.Fraction(2e9, 0.2e9, 0.010), Is.EqualTo(1.0).Within(1e-12));
        Assert.That(ceilings.Fraction(0, 0.2e9, 0.010), Is.EqualTo(0.5).Within(1e-12));
        Assert.That(ceilings.Fraction(1e9, 0.4e9, 0.010), Is.EqualTo(1.0).Within(1e-12));
    }
}

/// <summary>The whole-step cases of <c>tensorlet bench</c>.</summary>
public class BenchTrainStepTests
{
    [Test]
    public void ResNet20FlopsAreTheModelSummarys()
    {
        using var model = Tensorlet.Models.ModelZoo.Get("resnet20-b").Create(3, 10, new Generator(0));
        Assert.That(Tensorlet.Cli.Bench.BenchCatalog.ResNet20Flops, Is.EqualTo(model.Summary(1, 3, 32, 32).TotalFlops));
    }

    [Test]
    public void TrainStepCaseRunsOnTheGpuCodePath()
    {
        var spec = new Tensorlet.Cli.Bench.TrainStepSpec("resnet20-b", 2, 1, 8, 1);
        var disposables = new List<IDisposable>();
        try
        {
            var step = Tensorlet.Cli.Commands.TrainStepBench.Create(spec, Device.IlgpuCpu, disposables);
            float first, second;
            using (TensorScope.Begin()) first = step().Item();
            using (TensorScope.Begin()) second = step().Item();
            Assert.That(float.IsFinite(first) && float.IsFinite(second), Is.True);
            Assert.That(second, Is.Not.EqualTo(first), "the step must update the model");
        }
        finally
        {
            foreach (var d in disposables) d.Dispose();
        }
    }
}
