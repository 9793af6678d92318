using Tensorlet.Kernels.Cpu.Gemm;

namespace Tensorlet.Kernels.Cpu.Conv;

/// <summary>
/// The one GEMM every convolution pass calls, <see cref="Sgemm.Multiply"/>, over raw pointers (the operands live
/// in pinned scratch or in arrays fixed for the whole call). Spans are cut to exactly the extent each matrix
/// spans, so Sgemm's own bounds checks still guard every read and write.
/// </summary>
internal static unsafe class ConvGemm
{
    /// <summary>C[m×n] = op(A)·op(B) + β·C with row-major leading dimensions lda, ldb, ldc.</summary>
    public static void Multiply(GemmKernel kernel, bool transA, bool transB, int m, int n, int k,
                                float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        int aRows = transA ? k : m, aCols = transA ? m : k, bRows = transB ? n : k, bCols = transB ? k : n;
        Sgemm.Run(kernel, transA, transB, m, n, k, 1f,
                       new ReadOnlySpan<float>(a, Extent(aRows, aCols, lda)), lda,
                       new ReadOnlySpan<float>(b, Extent(bRows, bCols, ldb)), ldb,
                       beta, new Span<float>(c, Extent(m, n, ldc)), ldc);
    }

    private static int Extent(int rows, int cols, int ld) => rows == 0 || cols == 0 ? 0 : (rows - 1) * ld + cols;
}
