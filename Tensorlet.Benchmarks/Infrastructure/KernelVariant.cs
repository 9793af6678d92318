using Tensorlet.Kernels;
using Tensorlet.Kernels.Cpu;
using Tensorlet.Kernels.Gpu;

namespace Tensorlet.Benchmarks.Infrastructure;

/// <summary>
/// Which implementation of a kernel family a case runs, as a [Params] value so variants sit side by side in one
/// summary, in the manner of llm.c's dev/cuda: the plain loops of Kernels/Reference (single-threaded, summing in
/// double: the oracle, not a contender) and a backend's kernels. A new device is one more value here and one more
/// arm in <see cref="Variants.Backend"/>; the suites run every non-reference variant through <see cref="IBackend"/>.
/// </summary>
public enum KernelVariant
{
    /// <summary>Tensorlet.Kernels.Reference: the plainest loops, one thread.</summary>
    Reference,

    /// <summary>The CPU backend's kernels (SIMD, every core).</summary>
    Cpu,

    /// <summary>The ILGPU backend's kernels on <see cref="Variants.GpuDevice"/> (listed only when there is one).</summary>
    Gpu,
}

/// <summary>What each <see cref="KernelVariant"/> runs on.</summary>
public static class Variants
{
    private static readonly Lazy<Device?> Gpu = new(FindGpu);

    /// <summary>
    /// The device of the Gpu variant: the one named by TENSORLET_BENCH_GPU (e.g. "cuda:1", or "ilgpu-cpu" to run the GPU
    /// kernels on the CPU simulator — slow, for checking), else the best GPU present, else none.
    /// </summary>
    public static Device? GpuDevice => Gpu.Value;

    /// <summary>The variants this machine can run: the Gpu variant only where a GPU device exists (CI has none).</summary>
    public static IEnumerable<KernelVariant> Available =>
        GpuDevice == null ? [KernelVariant.Reference, KernelVariant.Cpu] : [KernelVariant.Reference, KernelVariant.Cpu, KernelVariant.Gpu];

    /// <summary>
    /// Waits for queued GPU work. GPU kernels return once queued, so every benchmarked call ends with this; on the CPU
    /// it does nothing.
    /// </summary>
    public static void Sync(IBackend? backend)
    {
        if (backend is GpuBackend gpu) gpu.Synchronize();
    }

    private static Device? FindGpu()
    {
        string? name = Environment.GetEnvironmentVariable("TENSORLET_BENCH_GPU");
        if (!string.IsNullOrWhiteSpace(name)) return Device.Parse(name);
        var best = Device.Best();
        return best.IsGpu ? best : null;
    }

    /// <summary>The backend behind a non-reference variant.</summary>
    public static IBackend Backend(KernelVariant variant) => variant switch
    {
        KernelVariant.Cpu => CpuBackend.Instance,
        KernelVariant.Gpu => GpuDevice?.Backend ?? throw new InvalidOperationException("No GPU device: " + GpuDevices.Found()),
        _ => throw new ArgumentException($"The {variant} variant runs no backend; it calls Tensorlet.Kernels.Reference directly."),
    };

    /// <summary>Threads the variant runs on: 1 for the reference loops, every core for the backends (host threads for the GPU's queueing).</summary>
    public static int ThreadCount(KernelVariant variant) => variant == KernelVariant.Reference ? 1 : Environment.ProcessorCount;

    /// <summary>Sets <see cref="Threads.Count"/> for the variant (in a [GlobalSetup]).</summary>
    public static void UseThreads(KernelVariant variant) => Threads.Count = ThreadCount(variant);

    /// <summary>Seeded uniform [-1, 1) floats, so every run of every variant sees the same numbers.</summary>
    public static float[] Random(int count, int seed)
    {
        var rng = new Random(seed);
        var host = new float[count];
        for (int i = 0; i < host.Length; i++) host[i] = (float)(rng.NextDouble() * 2 - 1);
        return host;
    }

    /// <summary>A backend buffer holding <paramref name="host"/>.</summary>
    public static DeviceBuffer Upload(IBackend backend, float[] host)
    {
        var buffer = backend.Allocate(host.Length);
        backend.Upload(host, buffer, 0);
        return buffer;
    }

    /// <summary>A dense view of <paramref name="shape"/> from the start of <paramref name="buffer"/>: how the kernels are handed a buffer.</summary>
    public static StridedView View(DeviceBuffer buffer, params int[] shape) => StridedView.Contiguous(buffer, 0, shape);
}
