namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// Single-precision GEMM, row-major: C = α·op(A)·op(B) + β·C. PLACEHOLDER: a naive triple loop, replaced by
/// the blocked, packed implementation at merge; only the signature is binding.
/// </summary>
public static class Sgemm
{
    /// <summary>C[m×n] = α·op(A)[m×k]·op(B)[k×n] + β·C; with β = 0, C is not read.</summary>
    public static void Multiply(bool transA, bool transB, int m, int n, int k, float alpha,
                                ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
                                float beta, Span<float> c, int ldc)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float sum = 0f;
                for (int p = 0; p < k; p++)
                    sum += (transA ? a[p * lda + i] : a[i * lda + p]) * (transB ? b[j * ldb + p] : b[p * ldb + j]);
                ref float cij = ref c[i * ldc + j];
                cij = beta == 0f ? alpha * sum : alpha * sum + beta * cij;
            }
        }
    }
}
