using Tensorlet.Kernels;
using Tensorlet.Kernels.Cpu;
using Tensorlet.Kernels.Gpu;
using Tensorlet.Tests.Conformance;
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

    public static DeviceBuffer Upload(IBackend backend, float[] host) => ConformanceKit.Upload(backend, host);

    public static float[] Download(IBackend backend, DeviceBuffer b) => ConformanceKit.Download(backend, b);

    /// <summary>See <see cref="ConformanceKit.Run"/>.</summary>
    public static float[][] Run(IBackend backend, float[][] arrays, Action<IBackend, DeviceBuffer[]> op) => ConformanceKit.Run(backend, arrays, op);

    /// <summary>Runs <paramref name="op"/> on the CPU and on the GPU backend over copies of the same arrays and compares every array after.</summary>
    public static void AssertSameOnBoth(string what, float[][] arrays, Action<IBackend, DeviceBuffer[]> op, double rtol = 1e-5, double atol = 1e-6)
    {
        var expected = Run(CpuBackend.Instance, arrays, op);
        var actual = Run(TestGpu, arrays, op);
        for (int i = 0; i < arrays.Length; i++)
            KernelTestKit.AssertClose(expected[i], actual[i], rtol, atol, $"{what} (array {i})");
    }
}
