using Tensorlet.Bench;
using Tensorlet.Bench.Comparison;
using Tensorlet.Kernels;
using Tensorlet.Kernels.Cpu;

namespace Tensorlet.Tests.Bench;

/// <summary>
/// Tensorlet's fraction of the FMA peak counts the arithmetic its kernels perform: a convolution pass run by Winograd
/// F(2×2, 3×3) does 16 products per 2×2 outputs where the direct count has 36, so judged by the direct count it reads
/// above 100% of the peak (cases b and c did: 119–124%).
/// </summary>
[NonParallelizable] // pins the process-wide CpuConvolution.Algorithm
public class ExecutedFlopsTests
{
    private static double Direct(in Conv2dGeometry g) => 2.0 * g.N * g.K * g.OutH * g.OutW * g.GroupC * g.KH * g.KW;

    private static T Pinned<T>(ConvAlgorithms algorithm, Func<T> body)
    {
        var saved = CpuConvolution.Algorithm;
        try
        {
            CpuConvolution.Algorithm = algorithm;
            return body();
        }
        finally { CpuConvolution.Algorithm = saved; }
    }

    [Test]
    public void Im2colPerformsTheDirectCountAndWinogradFewer()
    {
        var g = new Conv2dGeometry(2, 64, 16, 16, 64, 3, 3, PadH: 1, PadW: 1);
        Assert.That(Pinned(ConvAlgorithms.Im2col, () => CpuConvolution.ExecutedFlops(g, backward: false)), Is.EqualTo(Direct(g)));
        Assert.That(Pinned(ConvAlgorithms.Im2col, () => CpuConvolution.ExecutedFlops(g, backward: true)), Is.EqualTo(3 * Direct(g)));
        Assert.That(Pinned(ConvAlgorithms.Winograd, () => CpuConvolution.ExecutedFlops(g, backward: false)), Is.EqualTo(Direct(g) / 2.25).Within(1e-9).Percent);
        Assert.That(Pinned(ConvAlgorithms.Winograd, () => CpuConvolution.ExecutedFlops(g, backward: true)), Is.EqualTo(3 * Direct(g) / 2.25).Within(1e-9).Percent);
    }

    [Test]
    public void AutoCountsEachPassByTheAlgorithmItPicks()
    {
        // ResNet-20's 16-channel layer: forward and input gradient by Winograd, the weight gradient by im2col (< 64 channels).
        var g = new Conv2dGeometry(4, 16, 32, 32, 16, 3, 3, PadH: 1, PadW: 1);
        Assert.That(Pinned(ConvAlgorithms.Auto, () => CpuConvolution.ExecutedFlops(g, backward: true)),
                    Is.EqualTo(2 * Direct(g) / 2.25 + Direct(g)).Within(1e-9).Percent);
        // Strided and grouped layers are never Winograd's, whatever is pinned.
        var strided = new Conv2dGeometry(2, 64, 16, 16, 64, 3, 3, StrideH: 2, StrideW: 2, PadH: 1, PadW: 1);
        var grouped = new Conv2dGeometry(2, 64, 16, 16, 64, 3, 3, PadH: 1, PadW: 1, Groups: 32);
        foreach (var layer in new[] { strided, grouped })
            Assert.That(Pinned(ConvAlgorithms.Winograd, () => CpuConvolution.ExecutedFlops(layer, backward: true)), Is.EqualTo(3 * Direct(layer)));
    }

    [Test]
    public void TheComparisonJudgesTensorletByItsExecutedFlopsAndLibtorchByTheDirectCount()
    {
        var conv = BenchCatalog.All.Single(c => c.Name == "conv/b/fwd");
        var ceilings = new MachineCeilings(2, PeakGflops: 400, BandwidthGBps: 40);
        var row = Pinned(ConvAlgorithms.Winograd, () => ComparisonRow.From(conv, [1.0], [1.0], [1.0], ceilings));
        Assert.That(conv.Spec.ExecutedFlops, Is.LessThan(conv.Spec.Flops), "case b's forward runs by Winograd");
        Assert.That(row.TensorletPeakFraction, Is.EqualTo(ceilings.Fraction(conv.Spec.ExecutedFlops, conv.Spec.Bytes, 1e-3)));
        Assert.That(row.TorchPeakFraction, Is.EqualTo(ceilings.Fraction(conv.Spec.Flops, conv.Spec.Bytes, 1e-3)));
        Assert.That(row.TensorletThroughput, Is.EqualTo(row.TorchThroughput), "throughputs stay in the direct count, the same for both engines");

        var gemm = BenchCatalog.All.Single(c => c.Name == "gemm/512");
        Assert.That(gemm.Spec.ExecutedFlops, Is.EqualTo(gemm.Spec.Flops));
    }
}
