namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// Which register-tiled micro-kernel the CPU GEMM (and every convolution built on it) uses. <see cref="Auto"/>
/// picks the widest one the CPU runs natively; the others force a narrower one, so the same program can be checked
/// against every kernel on one machine, or pinned to the bits a narrower CPU would produce. Pass it to
/// <see cref="Sgemm.Multiply"/> or to the <see cref="CpuBackend(GemmKernels)"/> constructor.
/// </summary>
public enum GemmKernels
{
    /// <summary>The widest kernel this CPU supports: <see cref="Avx512"/>, else <see cref="Avx2"/>, else <see cref="Portable"/>.</summary>
    Auto,

    /// <summary>
    /// 8×48 tiles of 512-bit fused multiply-adds, 6×64 where 64 columns divide C better, 12×32 where C has few
    /// columns (AVX-512F: Zen 4, Zen 5, Intel Skylake-X and later).
    /// </summary>
    Avx512,

    /// <summary>6×16 tiles of 256-bit fused multiply-adds (AVX2 + FMA: Haswell, Zen 1 and later).</summary>
    Avx2,

    /// <summary>4×(2·<c>Vector&lt;float&gt;.Count</c>) tiles with separate multiply and add; runs on any CPU.</summary>
    Portable,
}
