using Tensorlet.Kernels;
using Tensorlet.Tests.Gpu;
using static Tensorlet.Tests.Kernels.KernelTestKit;

namespace Tensorlet.Tests.Kernels;

/// <summary>Seeded x, weights, bias and output gradient of one convolution in [−1, 1), on the host and on a backend.</summary>
public sealed class ConvOperands : IDisposable
{
    public ConvOperands(IBackend backend, in Conv2dGeometry g)
    {
        X = Random(g.N * g.C * g.H * g.W, 1, -1f, 1f);
        W = Random(g.K * g.GroupC * g.KH * g.KW, 2, -1f, 1f);
        B = Random(g.K, 3, -1f, 1f);
        GradY = Random(g.N * g.K * g.OutH * g.OutW, 4, -1f, 1f);
        (DeviceX, DeviceW, DeviceB, DeviceGradY) =
            (GpuTestKit.Upload(backend, X), GpuTestKit.Upload(backend, W), GpuTestKit.Upload(backend, B), GpuTestKit.Upload(backend, GradY));
    }

    public float[] X { get; }
    public float[] W { get; }
    public float[] B { get; }
    public float[] GradY { get; }
    public DeviceBuffer DeviceX { get; }
    public DeviceBuffer DeviceW { get; }
    public DeviceBuffer DeviceB { get; }
    public DeviceBuffer DeviceGradY { get; }

    public void Dispose()
    {
        DeviceX.Dispose();
        DeviceW.Dispose();
        DeviceB.Dispose();
        DeviceGradY.Dispose();
    }
}
