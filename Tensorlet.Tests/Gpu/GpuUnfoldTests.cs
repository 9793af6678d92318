using Tensorlet.Kernels;
using static Tensorlet.Tests.Gpu.GpuTestKit;
using static Tensorlet.Tests.Kernels.KernelTestKit;

namespace Tensorlet.Tests.Gpu;

/// <summary>
/// GPU Unfold and Fold (the convolution's im2col and col2im kernels) against the CPU backend over the convolution test
/// geometries, with operands at an offset in buffers with a tail and outputs starting out random.
/// </summary>
public class GpuUnfoldTests
{
    private const int Off = 3, Tail = 2;

    [TestCaseSource(typeof(GpuConvolutionTests), nameof(GpuConvolutionTests.Cases))]
    public void UnfoldAndFoldMatchCpu(Conv2dGeometry g)
    {
        int x = g.N * g.C * g.H * g.W, cols = g.N * g.C * g.KH * g.KW * g.OutH * g.OutW;
        AssertSameOnBoth($"Unfold {g}", [Random(Off + x + Tail, 1), Random(Off + cols + Tail, 2)],
                         (b, m) => b.Unfold(g, m[0], Off, m[1], Off), rtol: 0, atol: 0);
        AssertSameOnBoth($"Fold {g}", [Random(Off + cols + Tail, 3), Random(Off + x + Tail, 4)],
                         (b, m) => b.Fold(g, m[0], Off, m[1], Off), rtol: 1e-5, atol: 1e-5);
    }

    [Test]
    public void TensorOpRunsOnTheGpuBackend()
    {
        var device = Device.IlgpuCpu;
        var gen = new Generator(2);
        var host = Enumerable.Range(0, 2 * 3 * 5 * 5).Select(_ => gen.NextNormal()).ToArray();
        var cpu = F.Unfold(Tensor.FromArray(host, [2, 3, 5, 5]), 3, padding: 1, stride: 2);
        var gpu = F.Unfold(Tensor.FromArray(host, [2, 3, 5, 5], device), 3, padding: 1, stride: 2);
        Assert.That(gpu.ToArray(), Is.EqualTo(cpu.ToArray()));
        var folded = F.Fold(gpu, 5, 3, padding: 1, stride: 2);
        Assert.That(folded.ToArray(), Is.EqualTo(F.Fold(cpu, 5, 3, padding: 1, stride: 2).ToArray()).Within(1e-5));
    }
}
