namespace Tensorlet.Kernels.Reference;

/// <summary>
/// The plainest general matrix multiply, C = α·op(A)·op(B) + β·C, row-major. It is the oracle the fast
/// kernels are tested against, so it favours obviousness over speed: one triple loop, sums in double.
/// </summary>
public static class Gemm
{
    /// <summary>
    /// C = α·op(A)·op(B) + β·C where op(A) is m×k, op(B) is k×n and C is m×n, all row-major.
    /// Untransposed A holds (i,p) at a[i·lda+p]; transposed A is stored k×m, so op(A)(i,p) = a[p·lda+i].
    /// B likewise. With β = 0, C is written without being read, so NaNs already in C do not propagate.
    /// </summary>
    public static void Multiply(bool transA, bool transB, int m, int n, int k, float alpha,
                                ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
                                float beta, Span<float> c, int ldc)
    {
        OperationChecks.Gemm(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        Run(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /// <summary><see cref="Multiply"/> on arguments already checked (the reference backend checks its buffers with OperationChecks.Gemm).</summary>
    internal static void Run(bool transA, bool transB, int m, int n, int k, float alpha,
                             ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    float av = transA ? a[p * lda + i] : a[i * lda + p];
                    float bv = transB ? b[j * ldb + p] : b[p * ldb + j];
                    sum += (double)av * bv;
                }
                double result = alpha * sum;
                if (beta != 0) result += (double)beta * c[i * ldc + j];
                c[i * ldc + j] = (float)result;
            }
        }
    }
}
