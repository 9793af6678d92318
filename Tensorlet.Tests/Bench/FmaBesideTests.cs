using Tensorlet.Bench;
using Tensorlet.Bench.Comparison;
using Tensorlet.Kernels.Cpu;

namespace Tensorlet.Tests.Bench;

/// <summary>
/// The FMA rate probed beside a compute-bound case: the probe itself (a median of bursts, a real rate of the machine),
/// which cases it applies to, and how the comparison turns each block's probe into a fraction.
/// </summary>
public class FmaBesideTests
{
    private static BenchCase Case(string name) => BenchCatalog.All.Single(c => c.Name == name);

    [Test]
    public void TheTypicalRateIsARealRateAndNoneAboveTheBestBurst()
    {
        double typical = FmaPeak.MeasureTypical(1, burstSeconds: 0.002, windowSeconds: 0.05);
        // Noise only lowers a probe, so a best of a few short probes bounds it; a typical rate far above that would mean
        // its FLOP count is wrong (a factor of two, a missed thread). Probes are taken until one clears the typical rate,
        // so a few disturbed ones on a shared host cannot fail it; a wrong count fails all eight.
        double best = 0;
        for (int attempt = 0; attempt < 8 && best < typical; attempt++)
            best = Math.Max(best, FmaPeak.Measure(1, iterations: 400_000, repeats: 8));
        TestContext.Out.WriteLine($"typical {typical:F1} GFLOP/s, best {best:F1} GFLOP/s");
        Assert.That(typical, Is.GreaterThan(0.5));
        Assert.That(typical, Is.LessThanOrEqualTo(1.1 * best));
    }

    [Test]
    public void BurstsLastAboutAsLongAsAsked()
    {
        Assert.That(FmaPeak.IterationsFor(1e8, 0.002), Is.EqualTo(200_000));
        Assert.That(FmaPeak.IterationsFor(1e8, 0.02), Is.EqualTo(2_000_000));
        Assert.That(FmaPeak.IterationsFor(1e3, 0.002), Is.EqualTo(10_000), "a floor, so a slow machine still times whole loops");
    }

    [Test]
    public void TheTypicalRateRejectsImpossibleArguments()
    {
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => FmaPeak.MeasureTypical(0, 0.002, 0.01))!.ParamName, Is.EqualTo("threads"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => FmaPeak.MeasureTypical(1, 0, 0.01))!.ParamName, Is.EqualTo("burstSeconds"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => FmaPeak.MeasureTypical(1, 0.002, -1))!.ParamName, Is.EqualTo("windowSeconds"));
    }

    [Test]
    public void OnlyComputeBoundKernelsAreProbed()
    {
        Assert.That(FmaBeside.Applies(Case("gemm/512").Spec), Is.True);
        Assert.That(FmaBeside.Applies(Case("conv/a/fwd+bwd").Spec), Is.True);
        Assert.That(FmaBeside.Applies(Case("elementwise/add").Spec), Is.False);
        Assert.That(FmaBeside.Applies(Case("train/resnet20-b/64").Spec), Is.False, "a whole model's layers have no single ceiling");
        Assert.That(FmaBeside.Measure(Case("elementwise/add").Spec, 1.0, 1), Is.Null, "a case not probed costs no probe");
        Assert.That(FmaBeside.Measure(Case("gemm/256").Spec, 0.1, 1), Is.GreaterThan(0.5));
    }

    [Test]
    public void EachBlockIsJudgedAgainstItsOwnProbeAndTheMedianTaken()
    {
        var gemm = Case("gemm/512");
        double flops = gemm.Spec.Flops;
        double Rate(double ms) => flops / (ms / 1000) / 1e9;
        // libtorch's no-mmap setting is the faster one here, so its probes are the ones that count.
        var row = ComparisonRow.From(gemm, [2.0, 2.2, 2.1], [3.0, 3.1, 2.9], [2.5, 2.6, 2.4], new MachineCeilings(2, 400, 40),
                                     new FmaBesideFigures([300, 250, 350], [100, 100, 100], [200, 220, 210]));
        double[] ours = [Rate(2.0) / 300, Rate(2.2) / 250, Rate(2.1) / 350];
        Assert.That(row.TensorletFmaBesideFraction, Is.EqualTo(ours.Order().ElementAt(1)).Within(1e-12));
        double[] theirs = [Rate(2.5) / 200, Rate(2.6) / 220, Rate(2.4) / 210];
        Assert.That(row.TorchFmaBesideFraction, Is.EqualTo(theirs.Order().ElementAt(1)).Within(1e-12));
        Assert.That(row.TensorletPeakFraction, Is.EqualTo(Rate(2.1) / 400).Within(1e-12), "the fraction of the run's ceiling stays as it was");
    }

    [Test]
    public void WithoutAProbeForEveryBlockThereIsNoFraction()
    {
        var gemm = Case("gemm/512");
        var ceilings = new MachineCeilings(2, 400, 40);
        Assert.That(ComparisonRow.From(gemm, [2.0], [3.0], [2.5], ceilings).TensorletFmaBesideFraction, Is.Null);
        var partial = ComparisonRow.From(gemm, [2.0, 2.1], [3.0, 3.0], [2.5, 2.5], ceilings,
                                         new FmaBesideFigures([300, null], [100, 100], [200, 200]));
        Assert.That(partial.TensorletFmaBesideFraction, Is.Null);
        Assert.That(partial.TorchFmaBesideFraction, Is.Not.Null);
        string md = ComparisonMarkdown.Write([partial], ceilings, [new SelfCheck("tensorlet", "gemm/512", 0, 0)], "test machine", "cmd");
        Assert.That(md, Does.Contain("% of FMA beside T / L").And.Contain("| – |"));
    }

    [Test]
    public void MarkdownShowsBothFractionsOfAProbedCase()
    {
        var gemm = Case("gemm/512");
        var ceilings = new MachineCeilings(2, 400, 40);
        var row = ComparisonRow.From(gemm, [2.0], [3.0], [2.5], ceilings, new FmaBesideFigures([200], [100], [100]));
        string md = ComparisonMarkdown.Write([row], ceilings, [new SelfCheck("tensorlet", "gemm/512", 0, 0)], "test machine", "cmd");
        string line = md.Split('\n').Single(l => l.StartsWith("| gemm/512 |"));
        Assert.That(line, Does.Contain($"| {100 * row.TensorletPeakFraction:F0}% / {100 * row.TorchPeakFraction:F0}% |"));
        Assert.That(line, Does.Contain($"| {100 * row.TensorletFmaBesideFraction:F0}% / {100 * row.TorchFmaBesideFraction:F0}% |"));
    }
}
