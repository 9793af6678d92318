using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tensorlet.Kernels.Cpu.Gemm;

/// <summary>
/// One micro-kernel and the blocking that suits it: MR×NR is the register tile; KC is the k depth of a packed
/// block (a KC×NR micro-panel of B should sit in L1 while A micro-panels stream past it), MC the rows of a
/// packed A block (MC×KC in L2) and NC the columns of a packed B block (KC×NC in L2/L3).
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

    /// <summary>A kernel of the same instruction set with narrower tiles, for C with few columns (null: none).</summary>
    public GemmKernel? Narrow { get; init; }

    /// <summary>A kernel of the same instruction set with wider, shorter tiles, for C whose width it divides (null: none).</summary>
    public GemmKernel? Wide { get; init; }

    /// <summary>True for the 512-bit kernels: a choice of them allows the other Vector512 convolution kernels too.</summary>
    public bool Is512 { get; init; }

    /// <summary>(kc, packedA, packedB, c, ldc, α, β): C tile = α·Σ + β·C.</summary>
    public required delegate*<int, float*, float*, float*, nint, float, float, void> Run { get; init; }

    /// <summary>
    /// (kc, a, lda, packedB, c, ldc, α, β): the same tile reading MR rows of an untransposed A in place, <c>lda</c> apart,
    /// so A needs no packing (null: this kernel always reads packed A).
    /// </summary>
    public delegate*<int, float*, nint, float*, float*, nint, float, float, void> RunRows { get; init; }

    /// <summary>The narrow partner of <see cref="Avx512"/>, declared first because static fields initialise in text order.</summary>
    public static readonly GemmKernel Avx512Narrow = new()
    {
        Name = "avx512 12x32", MR = 12, NR = 32, KC = 256, MC = 192, NC = 4096, Fused = true,
        Run = &MicroKernels.Avx512x12x32, Is512 = true,
    };

    /// <summary>
    /// The square-shape partner of <see cref="Avx512"/>: 6×64 pads no columns of a power-of-two C. KC = 1024 reads and
    /// writes C half as often as 512 (which measured 2–4% faster than 384, itself ~4% faster than 256), and a power-of-two
    /// k splits into whole slices. The B micro-panel (256 KiB) then streams from L2 against a 24 KiB A micro-panel in L1,
    /// so the packed A block must stay small to leave L2 to B: MC = 48 (192 KiB). Paired in one process against KC = 512,
    /// MC = 192 on Zen 5 it measured 2–3% faster at 2048³ and 5% at 4096³ on two threads, 4% at 2048³ on one, level at
    /// 1024³ (MC = 96 with KC = 1024 gained nothing: A and B then crowd L2). NC = 1024 keeps each thread's packed B block
    /// at 4 MiB of the shared L3, and A is packed once per 1024 columns.
    /// </summary>
    public static readonly GemmKernel Avx512Wide = new()
    {
        Name = "avx512 6x64", MR = 6, NR = 64, KC = 1024, MC = 48, NC = 1024, Fused = true,
        Run = &MicroKernels.Avx512x6x64, RunRows = &MicroKernels.Avx512x6x64Rows, Is512 = true,
    };

    /// <summary>
    /// 8×48: a 48-float B row (3 zmm) against 8 broadcasts of A is 24 FMAs per k step, enough independent chains
    /// for two 512-bit FMA pipes of latency 4 (Zen 5 needs 8 in flight; Zen 4 and Intel fewer), with 28 of the 32
    /// zmm registers in use. MR = 8 divides the channel counts convolutions use, so their weight tiles have no
    /// padding rows. KC = 256 halves the C traffic of KC = 128 and measured a few percent faster than 160 on Zen 5
    /// although the B micro-panel (48 KiB) then spills from L1 to L2, which feeds 3 zmm per 12 cycles easily;
    /// MC·KC (192 KiB) sits in L2 and KC·NC (4 MiB at most) in L3.
    /// </summary>
    public static readonly GemmKernel Avx512 = new()
    {
        Name = "avx512 8x48", MR = 8, NR = 48, KC = 256, MC = 192, NC = 4080, Fused = true,
        Run = &MicroKernels.Avx512x8x48, RunRows = &MicroKernels.Avx512x8x48Rows, Narrow = Avx512Narrow, Wide = Avx512Wide, Is512 = true,
    };

    /// <summary>
    /// This kernel, or its <see cref="Narrow"/> or <see cref="Wide"/> one where that pads an m×n C to less area: a
    /// 27-column C takes 48-column tiles at 56% use but 32-column ones at 84%, a 1024-column one 48-column tiles at 97%
    /// but 64-column ones at 100%. Depends on the shape only, so the bits do too.
    /// </summary>
    public GemmKernel For(int m, int n)
    {
        long own = PaddedArea(this, m, n);
        // The narrow tile loads more per FMA, so this kernel keeps ties and near-ties against it; the wide one runs
        // as fast, so it needs only a strictly smaller area (and this kernel, the one convolutions tune for, keeps ties).
        if (Narrow is { } narrow && PaddedArea(narrow, m, n) * 10 < own * 9) return narrow;
        if (Wide is { } wide && PaddedArea(wide, m, n) < own) return wide;
        return this;
    }

    private static long PaddedArea(GemmKernel kernel, int m, int n) =>
        (long)BlockedGemm.RoundUp(m, kernel.MR) * BlockedGemm.RoundUp(n, kernel.NR);

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

    /// <summary>True when this CPU runs <paramref name="choice"/> natively.</summary>
    public static bool IsSupported(GemmKernels choice) => choice switch
    {
        GemmKernels.Auto or GemmKernels.Portable => true,
        GemmKernels.Avx512 => Vector512.IsHardwareAccelerated && Avx512F.IsSupported,
        GemmKernels.Avx2 => Vector256.IsHardwareAccelerated && Fma.IsSupported,
        _ => false,
    };

    /// <summary>The kernel for a choice, refusing values outside the enum and kernels this CPU cannot run.</summary>
    public static GemmKernel For(GemmKernels choice, string paramName)
    {
        if (!Enum.IsDefined(choice))
            throw new ArgumentOutOfRangeException(paramName, choice,
                $"GEMM kernel {(int)choice} is not one of {string.Join(", ", Enum.GetNames<GemmKernels>())}.");
        if (!IsSupported(choice))
            throw new PlatformNotSupportedException(
                $"GEMM kernel {choice} needs instructions this CPU lacks; use GemmKernels.Auto or a narrower kernel.");
        return choice switch
        {
            GemmKernels.Avx512 => Avx512,
            GemmKernels.Avx2 => Avx2,
            GemmKernels.Portable => Portable,
            _ => Best,
        };
    }

    /// <summary>The widest kernel this CPU runs natively.</summary>
    public static GemmKernel Best { get; } =
        IsSupported(GemmKernels.Avx512) ? Avx512 : IsSupported(GemmKernels.Avx2) ? Avx2 : Portable;
}
