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

    /// <summary>
    /// Asserts that <paramref name="padded"/> — an output written between two <paramref name="sentinel"/> floats — holds
    /// <paramref name="expected"/> within <paramref name="tolerance"/> of its largest magnitude, and nothing was written
    /// outside it.
    /// </summary>
    public static void AssertMatches(float[] expected, float[] padded, float sentinel, double tolerance, string what)
    {
        Assert.That(padded[0] == sentinel && padded[^1] == sentinel, $"{what}: wrote outside the operand");
        double scale = Math.Max(expected.Max(v => Math.Abs((double)v)), 1e-30), worst = 0;
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(padded[i + 1] - (double)expected[i]));
        TestContext.Out.WriteLine($"{what}: max |error| / max |y| = {worst / scale:G3}");
        Assert.That(worst / scale, Is.LessThanOrEqualTo(tolerance), what);
    }

    public void Dispose()
    {
        DeviceX.Dispose();
        DeviceW.Dispose();
        DeviceB.Dispose();
        DeviceGradY.Dispose();
    }
}
