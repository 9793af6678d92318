namespace Tensorlet.Kernels.Reference;

/// <summary>
/// The plainest general matrix multiply, C = α·A·B + β·C. It is the oracle the fast kernels are tested against, so it
/// favours obviousness over speed: one triple loop per batch entry over strided views, sums in double.
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
        // A transpose is the same memory with its strides swapped.
        var va = new HostView(a.ToArray(), 0, [m, k], transA ? [1, lda] : [lda, 1]);
        var vb = new HostView(b.ToArray(), 0, [k, n], transB ? [1, ldb] : [ldb, 1]);
        var vc = new HostView(c.ToArray(), 0, [m, n], [ldc, 1]);
        Product(alpha, va, vb, beta, vc, 1);
        vc.Data.CopyTo(c);
    }

    /// <summary>
    /// C_b = α·A_b·B_b + β·C_b for b in [0, batch) over views of arguments already checked (the reference backend checks
    /// them with OperationChecks.Gemm): a [batch, m, k], b [batch, k, n], c [batch, m, n], a 2-D view being the same
    /// matrix for every b. With β = 0, C is not read.
    /// </summary>
    internal static void Product(float alpha, HostView a, HostView b, float beta, HostView c, int batch)
    {
        int m = c.Shape[^2], n = c.Shape[^1], k = a.Shape[^1];
        for (int e = 0; e < batch; e++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double sum = 0;
                    for (int p = 0; p < k; p++) sum += (double)a.Data[At(a, e, i, p)] * b.Data[At(b, e, p, j)];
                    double result = alpha * sum;
                    if (beta != 0) result += (double)beta * c.Data[At(c, e, i, j)];
                    c.Data[At(c, e, i, j)] = (float)result;
                }
    }

    /// <summary>Where element [row, col] of batch entry <paramref name="entry"/> lives (a 2-D view has no batch dimension).</summary>
    private static int At(in HostView v, int entry, int row, int col) =>
        v.Offset + (v.Shape.Length == 3 ? entry * v.Strides[0] : 0) + row * v.Strides[^2] + col * v.Strides[^1];
}
