using Tensorlet.Kernels;
using Tensorlet.Tests.Kernels;
using static Tensorlet.Tests.Kernels.KernelTestKit;

namespace Tensorlet.Tests.Conformance;

/// <summary>
/// What the conformance suite shares: the backends under test (CPU, ILGPU's CPU accelerator, and a CUDA or OpenCL
/// device when one is present), and <see cref="Check"/>, which runs one call on a backend and on the reference backend
/// over copies of the same arrays and compares every array afterwards, NaN for NaN and infinity for infinity.
/// </summary>
public static class ConformanceKit
{
    /// <summary>True in the nightly run (<c>TENSORLET_NIGHTLY=1</c>), which widens every random grid.</summary>
    public static bool Nightly => Environment.GetEnvironmentVariable("TENSORLET_NIGHTLY") == "1";

    /// <summary>Random draws per grid point: 1 normally, 8 in the nightly run.</summary>
    public static int Draws => Nightly ? 8 : 1;

    /// <summary>The device names the suite runs on; the fixtures take one each.</summary>
    public static IEnumerable<string> Devices()
    {
        yield return "cpu";
        yield return "ilgpu-cpu";
        var best = Device.Best();
        if (best.IsGpu) yield return best.Name;
    }

    public static IBackend BackendOf(string device) => Device.Parse(device).Backend;

    public static IBackend Oracle => Backends.Reference;

    public static DeviceBuffer Upload(IBackend backend, float[] host)
    {
        var buffer = backend.Allocate(host.Length);
        backend.Upload(host, buffer, 0);
        return buffer;
    }

    public static float[] Download(IBackend backend, DeviceBuffer buffer)
    {
        var host = new float[buffer.Length];
        backend.Download(buffer, 0, host);
        return host;
    }

    /// <summary>Uploads the arrays, runs the call on their buffers, and returns every array downloaded afterwards.</summary>
    public static float[][] Run(IBackend backend, float[][] arrays, Action<IBackend, DeviceBuffer[]> call)
    {
        var buffers = arrays.Select(a => Upload(backend, a)).ToArray();
        try
        {
            call(backend, buffers);
            return buffers.Select(b => Download(backend, b)).ToArray();
        }
        finally
        {
            foreach (var b in buffers) b.Dispose();
        }
    }

    /// <summary>
    /// Runs <paramref name="call"/> on <paramref name="backend"/> and on the reference over copies of
    /// <paramref name="arrays"/> and asserts that every array (inputs, outputs, in-place results) agrees (NaN for NaN, infinity for infinity, as <see cref="AssertClose"/>).
    /// </summary>
    public static void Check(IBackend backend, string what, float[][] arrays, Action<IBackend, DeviceBuffer[]> call,
                             double rtol = 1e-5, double atol = 1e-6)
    {
        var expected = Run(Oracle, arrays, call);
        var actual = Run(backend, arrays, call);
        for (int i = 0; i < arrays.Length; i++) AssertClose(expected[i], actual[i], rtol, atol, $"{what} on {backend.Name}, array {i}");
    }

    /// <summary>The elements of a tensor of <paramref name="shape"/>.</summary>
    public static int Count(int[] shape) => shape.Aggregate(1, (a, d) => a * d);

    /// <summary>A device view of <paramref name="buffer"/> through <paramref name="layout"/>.</summary>
    public static StridedView On(DeviceBuffer buffer, Layout layout) => new(buffer, layout.Offset, layout.Shape, layout.Strides);

    /// <summary>Random values with NaN, ±∞, ±0 and a tie sprinkled in at fixed places.</summary>
    public static float[] WithSpecials(int count, int seed)
    {
        var values = Random(count, seed, -2f, 2f);
        float[] specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 1f, 1f];
        for (int i = 0; i < count; i += 5) values[i] = specials[i / 5 % specials.Length];
        return values;
    }
}
