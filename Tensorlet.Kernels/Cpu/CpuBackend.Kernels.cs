using Tensorlet.Kernels.Cpu.Gemm;

namespace Tensorlet.Kernels.Cpu;

// The GEMM micro-kernel a backend runs its matrix products and convolutions with: the shared Instance picks the
// widest this CPU supports; a backend built with a GemmKernels choice forces one (for checking every kernel on one
// machine, or for reproducing a narrower CPU's bits).
public sealed partial class CpuBackend
{
    private readonly GemmKernel _gemm = GemmKernel.Best;

    /// <summary>
    /// A CPU backend whose GEMM and convolutions use the given micro-kernel. It has its own buffer pool, so its
    /// tensors do not share memory with <see cref="Instance"/>'s.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kernels"/> is not a <see cref="GemmKernels"/> member.</exception>
    /// <exception cref="PlatformNotSupportedException">This CPU cannot run the chosen kernel.</exception>
    public CpuBackend(GemmKernels kernels)
    {
        _gemm = GemmKernel.For(kernels, nameof(kernels));
        Kernels = kernels;
    }

    /// <summary>The micro-kernel choice this backend was built with (<see cref="GemmKernels.Auto"/> for <see cref="Instance"/>).</summary>
    public GemmKernels Kernels { get; } = GemmKernels.Auto;

    /// <summary>The micro-kernel actually running, e.g. "avx512 8x48".</summary>
    public string KernelName => _gemm.Name;
}
