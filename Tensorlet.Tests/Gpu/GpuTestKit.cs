using Tensorlet.Kernels;
using Tensorlet.Kernels.Cpu;
using Tensorlet.Kernels.Gpu;
using Tensorlet.Tests.Kernels;

namespace Tensorlet.Tests.Gpu;

/// <summary>
/// GPU kernels are tested against the CPU backend on ILGPU's CPU accelerator (CI has no GPU): the same host data goes
/// to both backends, the same call runs on each, and the results must agree. One accelerator serves the whole run.
/// </summary>
public static class GpuTestKit
{
    private static readonly Lazy<GpuBackend> Lazy = new(GpuDevices.IlgpuCpu);

    /// <summary>The GPU backend under test (on ILGPU's CPU accelerator).</summary>
    public static GpuBackend TestGpu => Lazy.Value;

    public static DeviceBuffer Upload(IBackend backend, float[] host)
    {
        var b = backend.Allocate(host.Length);
        backend.Upload(host, b, 0);
        return b;
    }

    public static float[] Download(IBackend backend, DeviceBuffer b)
    {
        var host = new float[b.Length];
        backend.Download(b, 0, host);
        return host;
    }

    /// <summary>
    /// Uploads <paramref name="arrays"/> to <paramref name="backend"/>, runs <paramref name="op"/> on the buffers, and
    /// returns every array downloaded afterwards (inputs included, so in-place and output arrays are both checked).
    /// </summary>
    public static float[][] Run(IBackend backend, float[][] arrays, Action<IBackend, DeviceBuffer[]> op)
    {
        var buffers = arrays.Select(a => Upload(backend, a)).ToArray();
        try
        {
            op(backend, buffers);
            return buffers.Select(b => Download(backend, b)).ToArray();
        }
        finally
        {
            foreach (var b in buffers) b.Dispose();
        }
    }

    /// <summary>Runs <paramref name="op"/> on the CPU and on the GPU backend over copies of the same arrays and compares every array after.</summary>
    public static void AssertSameOnBoth(string what, float[][] arrays, Action<IBackend, DeviceBuffer[]> op, double rtol = 1e-5, double atol = 1e-6)
    {
        var expected = Run(CpuBackend.Instance, arrays, op);
        var actual = Run(TestGpu, arrays, op);
        for (int i = 0; i < arrays.Length; i++)
            KernelTestKit.AssertClose(expected[i], actual[i], rtol, atol, $"{what} (array {i})");
    }

    /// <summary>A view with the same layout over a buffer of either backend.</summary>
    public static StridedView View(this Layout layout, DeviceBuffer buffer) => new(buffer, layout.Offset, layout.Shape, layout.Strides);
}
