using Tensorlet.Kernels.Cpu;
using Tensorlet.Kernels.Gpu;
using Tensorlet.Kernels.Meta;
using Tensorlet.Kernels.Reference;

namespace Tensorlet.Kernels;

/// <summary>
/// Where Core gets its backends, typed as <see cref="IBackend"/> so that nothing above this assembly names a concrete
/// backend. GPU backends are built on each call; the caller (Core's <c>Device</c>) keeps one per device.
/// </summary>
public static class Backends
{
    /// <summary>The one vectorised, multithreaded CPU backend.</summary>
    public static IBackend Cpu => CpuBackend.Instance;

    /// <summary>The plain double-precision loops every other backend is tested against (slow; for checking, not training).</summary>
    public static IBackend Reference => ReferenceBackend.Instance;

    /// <summary>The meta device's backend: buffers of no floats, kernels that do nothing (shapes and FLOPs without data).</summary>
    public static IBackend Meta => MetaBackend.Instance;

    /// <summary>A backend on CUDA device <paramref name="index"/>; throws with what was found when there is none.</summary>
    public static IBackend Cuda(int index) => GpuDevices.Cuda(index);

    /// <summary>A backend on OpenCL device <paramref name="index"/>; throws with what was found when it does not qualify.</summary>
    public static IBackend OpenCL(int index) => GpuDevices.OpenCL(index);

    /// <summary>The GPU kernels run on ILGPU's CPU accelerator.</summary>
    public static IBackend IlgpuCpu() => GpuDevices.IlgpuCpu();
}
