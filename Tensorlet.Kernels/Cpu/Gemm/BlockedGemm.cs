using System.Runtime.CompilerServices;

namespace Tensorlet.Kernels.Cpu.Gemm;

/// <summary>The operands of one GEMM call as raw pointers, so they can cross into worker threads.</summary>
internal readonly unsafe struct GemmOperands
{
    public required bool TransA { get; init; }
    public required bool TransB { get; init; }
    public required int K { get; init; }
    public required float Alpha { get; init; }
    public required float Beta { get; init; }
    public required float* A { get; init; }
    public required nint Lda { get; init; }
    public required float* B { get; init; }
    public required nint Ldb { get; init; }
    public required float* C { get; init; }
    public required nint Ldc { get; init; }
}

/// <summary>
/// The GotoBLAS/BLIS loop nest for one rectangle of C, run by one thread: jc over NC-column blocks of B,
/// pc over KC-deep slices (pack B: KC×NC, L3-resident), ic over MC-row blocks (pack A: MC×KC, L2-resident),
/// then the macro-kernel walks NR-column micro-panels of B (each stays in L1) against MR-row micro-panels of A.
/// The k slices are summed in the same order for every element regardless of the rectangle, so results do not
/// depend on how C was split among threads.
/// </summary>
internal static unsafe class BlockedGemm
{
    public static void Run(in GemmOperands op, GemmKernel kernel, int m0, int m1, int n0, int n1)
    {
        int mr = kernel.MR, nr = kernel.NR;
        int kcMax = Math.Min(kernel.KC, op.K);
        int mcMax = Math.Min(kernel.MC, RoundUp(m1 - m0, mr));
        int ncMax = Math.Min(kernel.NC, RoundUp(n1 - n0, nr));
        var buffers = PackBuffers.For((long)RoundUp(mcMax, mr) * kcMax, (long)RoundUp(ncMax, nr) * kcMax);
        float* packA = buffers.A, packB = buffers.B;
        for (int jc = n0; jc < n1; jc += ncMax)
        {
            int nc = Math.Min(ncMax, n1 - jc);
            for (int pc = 0; pc < op.K; pc += kcMax)
            {
                int kc = Math.Min(kcMax, op.K - pc);
                Packing.PackB(op.TransB, op.B, op.Ldb, pc, kc, jc, nc, nr, packB);
                // Only the first k slice applies β; later slices accumulate onto what it wrote.
                float beta = pc == 0 ? op.Beta : 1f;
                RowBlocks(op, kernel, m0, m1, mcMax, pc, kc, jc, nc, packA, packB, beta);
            }
        }
    }

    /// <summary>
    /// Rows [m0, m1) of C's columns [jc, jc + nc) against one packed B block (the kc-deep k slice from pc), in blocks of up
    /// to <paramref name="mcMax"/> rows; the first k slice applies β, later ones pass β = 1. An untransposed A already
    /// holds each row's k steps side by side, so a kernel that reads its rows in place (<see cref="GemmKernel.RunRows"/>)
    /// takes its full row tiles straight from A, and only the rows past the last full tile are packed (zero-padded, so no
    /// read passes A's last row). In place measured 1.5–3.7% faster at 512³–2048³ on two threads, where each thread would
    /// pack all of A for its columns; the same FMAs read the same values, so the bits are the same.
    /// </summary>
    [SkipLocalsInit]
    private static void RowBlocks(in GemmOperands op, GemmKernel kernel, int m0, int m1, int mcMax, int pc, int kc, int jc, int nc,
                                  float* packA, float* packB, float beta)
    {
        float* tile = stackalloc float[kernel.MR * kernel.NR + 16];
        tile = (float*)(((nint)tile + 63) & ~(nint)63);
        bool inPlace = !op.TransA && kernel.RunRows != null;
        for (int ic = m0; ic < m1; ic += mcMax)
        {
            int mc = Math.Min(mcMax, m1 - ic);
            int packedFrom = inPlace ? mc / kernel.MR * kernel.MR : 0;
            if (packedFrom < mc) Packing.PackA(op.TransA, op.A, op.Lda, ic + packedFrom, mc - packedFrom, pc, kc, kernel.MR, packA);
            var a = new APanels(op.A + ic * op.Lda + pc, op.Lda, packedFrom, packA);
            Macro(kernel, kc, mc, nc, a, packB, op.C + ic * op.Ldc + jc, op.Ldc, op.Alpha, beta, tile);
        }
    }

    /// <summary>Where a row block's A micro-panels are: its first <see cref="PackedFrom"/> rows in place in A, the rest packed.</summary>
    private readonly struct APanels(float* rows, nint lda, int packedFrom, float* packed)
    {
        public readonly float* Rows = rows;
        public readonly nint Lda = lda;
        public readonly int PackedFrom = packedFrom;
        public readonly float* Packed = packed;
    }

    private static void Macro(GemmKernel kernel, int kc, int mc, int nc, in APanels a, float* packB,
                              float* c, nint ldc, float alpha, float beta, float* tile)
    {
        int mr = kernel.MR, nr = kernel.NR;
        var run = kernel.Run;
        var runRows = kernel.RunRows;
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            float* b = packB + (nint)jr * kc;
            for (int ir = 0; ir < mc; ir += mr)
            {
                int rows = Math.Min(mr, mc - ir);
                bool full = rows == mr && cols == nr;
                // Edge tile: compute the full padded tile aside (α = 1, β = 0 keeps the raw sums), then merge only the
                // valid part with the same fused write-back the kernel would have used.
                float* dst = full ? c + ir * ldc + jr : tile;
                nint ldDst = full ? ldc : nr;
                float tileAlpha = full ? alpha : 1f, tileBeta = full ? beta : 0f;
                if (ir < a.PackedFrom) runRows(kc, a.Rows + ir * a.Lda, a.Lda, b, dst, ldDst, tileAlpha, tileBeta);
                else run(kc, a.Packed + (nint)(ir - a.PackedFrom) * kc, b, dst, ldDst, tileAlpha, tileBeta);
                if (!full) MergeEdge(tile, nr, c + ir * ldc + jr, ldc, rows, cols, alpha, beta, kernel.Fused);
            }
        }
    }

    private static void MergeEdge(float* tile, int nr, float* c, nint ldc, int rows, int cols,
                                  float alpha, float beta, bool fused)
    {
        for (int r = 0; r < rows; r++, c += ldc, tile += nr)
        {
            for (int j = 0; j < cols; j++)
            {
                float acc = tile[j];
                if (beta == 0) c[j] = acc * alpha;
                else if (fused) c[j] = MathF.FusedMultiplyAdd(acc, alpha, beta == 1 ? c[j] : c[j] * beta);
                else c[j] = acc * alpha + (beta == 1 ? c[j] : c[j] * beta);
            }
        }
    }

    public static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
