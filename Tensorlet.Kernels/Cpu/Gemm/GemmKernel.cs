using System.Numerics;
using System.Runtime.Intrinsics;

namespace Tensorlet.Kernels.Cpu.Gemm;

/// <summary>
/// One micro-kernel and the blocking that suits it: MR×NR is the register tile; KC is the k depth of a packed
/// block (a KC×NR micro-panel of B should sit in L1 while A micro-panels stream past it), MC the rows of a
/// packed A block (MC×KC in L2) and NC the columns of a packed B block (KC×NC in L3).
/// </summary>
internal sealed unsafe class GemmKernel
{
    public required string Name { get; init; }
    public required int MR { get; init; }
    public required int NR { get; init; }
    public required int KC { get; init; }
    public required int MC { get; init; }
    public required int NC { get; init; }

    /// <summary>True when the write-back uses fused multiply-add; the scalar edge merge must then do the same.</summary>
    public required bool Fused { get; init; }

    /// <summary>(kc, packedA, packedB, c, ldc, α, β): C tile = α·Σ + β·C.</summary>
    public required delegate*<int, float*, float*, float*, nint, float, float, void> Run { get; init; }

    public static readonly GemmKernel Avx512 = new()
    {
        Name = "avx512 6x32", MR = 6, NR = 32, KC = 256, MC = 144, NC = 4096, Fused = true,
        Run = &MicroKernels.Avx512x6x32,
    };

    public static readonly GemmKernel Avx2 = new()
    {
        Name = "avx2 6x16", MR = 6, NR = 16, KC = 256, MC = 144, NC = 4096, Fused = true,
        Run = &MicroKernels.Avx2x6x16,
    };

    public static readonly GemmKernel Portable = new()
    {
        Name = $"vector{Vector<float>.Count * 32} 4x{2 * Vector<float>.Count}", MR = 4, NR = 2 * Vector<float>.Count,
        KC = 256, MC = 128, NC = 4096, Fused = false,
        Run = &MicroKernels.Portable4xV2,
    };

    /// <summary>The widest kernel this CPU runs natively.</summary>
    public static GemmKernel Best =>
        Vector512.IsHardwareAccelerated ? Avx512
        : Vector256.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Fma.IsSupported ? Avx2
        : Portable;
}
