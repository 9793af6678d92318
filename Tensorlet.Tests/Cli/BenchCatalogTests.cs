using Tensorlet.Bench;
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
                    Is.EquivalentTo(new[] { "gemm", "conv", "elementwise", "reduce", "pool", "batchnorm", "softmax", "cross-entropy", "train", "infer", "vgg-layer" }));
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
        Assert.That(BenchCatalog.Filter(null), Is.EqualTo(BenchCatalog.Default));
        Assert.That(BenchCatalog.Default.Any(c => c.OnRequest), Is.False);
        Assert.That(BenchCatalog.Filter("infer/").Select(c => c.Name), Is.EqualTo(BenchModels.Names.Select(m => $"infer/{m}/64")));
        Assert.That(BenchCatalog.Filter("vgg-layer/*/fwd+bwd").Select(c => c.Name),
                    Is.EqualTo(new[] { "L4", "L5", "L6", "L7" }.Select(l => $"vgg-layer/{l}/fwd+bwd")));
        Assert.That(BenchCatalog.All.Where(c => c.Family == "vgg-layer").All(c => c.OnRequest), Is.True);
    }

    [Test]
    public void CommasJoinPatternsAnyOfWhichMatches()
    {
        Assert.That(BenchCatalog.Matches("pool/avg2x2/fwd", "reduce/, pool/*"), Is.True);
        Assert.That(BenchCatalog.Matches("softmax/fwd", "reduce/,pool/*"), Is.False);
        Assert.That(BenchCatalog.Matches("softmax/fwd", ","), Is.False);
        Assert.That(BenchCatalog.Filter("gemm/512,conv/a/*").Select(c => c.Name),
                    Is.EqualTo(new[] { "gemm/512", "conv/a/fwd", "conv/a/fwd+bwd" }));
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

/// <summary>The whole-model cases of <c>tensorlet bench</c> and the libtorch harness.</summary>
public class BenchModelTests
{
    [Test]
    public void MetaDeviceFlopsAndParametersAreThoseOfARealForward()
    {
        using var model = BenchModels.Create("resnet20-b", 3, new Generator(0));
        var summary = model.Summary(1, 3, 32, 32);
        Assert.That(BenchModels.ForwardFlops("resnet20-b"), Is.EqualTo(summary.TotalFlops));
        Assert.That(BenchModels.Parameters("resnet20-b"), Is.EqualTo(summary.TotalParameters));
    }

    [Test]
    public void EveryFamilyHasOneConfigurationWithAForwardAndATrainingCase()
    {
        Assert.That(BenchModels.Names, Has.Count.EqualTo(8).And.Unique);
        foreach (string name in BenchModels.Names)
        {
            Assert.That(BenchModels.ForwardFlops(name), Is.GreaterThan(1e6), name);
            var train = (ModelSpec)BenchCatalog.All.Single(c => c.Name == $"train/{name}/64").Spec;
            var infer = (ModelSpec)BenchCatalog.All.Single(c => c.Name == $"infer/{name}/64").Spec;
            Assert.That(train.Flops, Is.EqualTo(3 * infer.Flops), name);
            Assert.That(infer.ImagesPerSecond(500), Is.EqualTo(128).Within(1e-9), name);
        }
    }

    [Test]
    public void TrainingStepUpdatesTheModelOnTheGpuCodePath()
    {
        WithStep(new ModelSpec("resnet20-b", 2, true, 1, 8, 1), Device.IlgpuCpu, step =>
        {
            float first, second;
            using (TensorScope.Begin()) first = step().Item();
            using (TensorScope.Begin()) second = step().Item();
            Assert.That(float.IsFinite(first) && float.IsFinite(second), Is.True);
            Assert.That(second, Is.Not.EqualTo(first), "the step must update the model");
        });
    }

    [Test]
    public void InferenceIsEvalModeWithoutAGraph()
    {
        WithStep(new ModelSpec("resnet20-b", 2, false, 3, 32, 1), Device.Cpu, step =>
        {
            using var scope = TensorScope.Begin();
            var first = step();
            var second = step();
            Assert.That(first.Shape, Is.EqualTo(new[] { 2, 10 }));
            Assert.That(first.RequiresGrad, Is.False);
            Assert.That(second.ToArray(), Is.EqualTo(first.ToArray()), "eval mode: the same batch gives the same logits");
        });
    }

    private static void WithStep(ModelSpec spec, Device device, Action<Func<Tensor>> body)
    {
        var disposables = new List<IDisposable>();
        try
        {
            body(BenchModels.Step(spec, device, disposables));
        }
        finally
        {
            foreach (var d in disposables) d.Dispose();
        }
    }
}
