using Tensorlet.Kernels;
using Tensorlet.Kernels.Cpu;

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
}

/// <summary>What each <see cref="KernelVariant"/> runs on.</summary>
public static class Variants
{
    /// <summary>The backend behind a non-reference variant.</summary>
    public static IBackend Backend(KernelVariant variant) => variant switch
    {
        KernelVariant.Cpu => CpuBackend.Instance,
        _ => throw new ArgumentException($"The {variant} variant runs no backend; it calls Tensorlet.Kernels.Reference directly."),
    };

    /// <summary>Threads the variant runs on: 1 for the reference loops, every core for the backends.</summary>
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
}
