namespace Tensorlet.Tests.Gpu;

/// <summary>
/// The unfold and fold tensor ops on the GPU backend; the kernels themselves run on every backend against the reference
/// in <c>Conformance/LayerConformanceTests</c>.
/// </summary>
public class GpuUnfoldTests
{
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
