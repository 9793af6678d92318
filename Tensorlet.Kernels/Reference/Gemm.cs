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
        GemmArguments.Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
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

/// <summary>Argument checks shared by every GEMM, so all of them fail with the same messages.</summary>
internal static class GemmArguments
{
    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming the argument and the sizes when a dimension is negative,
    /// a leading dimension is shorter than its row, or a span is too short for the matrix it holds.
    /// </summary>
    public static void Validate(bool transA, bool transB, int m, int n, int k,
                                int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentException($"GEMM sizes must be non-negative, got m={m}, n={n}, k={k}.", m < 0 ? "m" : n < 0 ? "n" : "k");
        // Stored shapes: A is m×k (or k×m transposed), B is k×n (or n×k), C is m×n.
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        CheckMatrix("a", "lda", aRows, aCols, aLength, lda, transA, m, n, k);
        CheckMatrix("b", "ldb", bRows, bCols, bLength, ldb, transB, m, n, k);
        CheckMatrix("c", "ldc", m, n, cLength, ldc, false, m, n, k);
    }

    private static void CheckMatrix(string name, string ldName, int rows, int cols, int length, int ld,
                                    bool transposed, int m, int n, int k)
    {
        string shape = $"{rows}×{cols}{(transposed ? " (transposed)" : "")}";
        if (ld < Math.Max(1, cols))
            throw new ArgumentException(
                $"GEMM {ldName}={ld} is less than the row length {cols} of {name} ({shape}; m={m}, n={n}, k={k}).", ldName);
        if (rows == 0 || cols == 0) return;
        long needed = (long)(rows - 1) * ld + cols;
        if (length < needed)
            throw new ArgumentException(
                $"GEMM {name} has {length} elements but a {shape} matrix with {ldName}={ld} needs {needed} (m={m}, n={n}, k={k}).", name);
    }
}
