using System.Buffers;
using System.Numerics;

namespace Tensorlet.Kernels.Cpu.Gemm;

/// <summary>
/// GEMM without packing or threads, for problems so small that packing and waking workers would cost more
/// than the multiply. Rows of C are updated as vector AXPYs over rows of B (untransposed B) or as vector dot
/// products of A rows with B rows (transposed B).
/// </summary>
internal static unsafe class SmallGemm
{
    public static void Run(in GemmOperands op, int m, int n)
    {
        int k = op.K;
        float[]? rented = null;
        // A row gathered contiguously when A is transposed (its row is strided otherwise).
        float* rowBuffer = stackalloc float[op.TransA && k <= 512 ? k : 0];
        if (op.TransA && k > 512) rented = ArrayPool<float>.Shared.Rent(k);
        try
        {
            fixed (float* rentedPtr = rented)
            {
                float* aRow = rented != null ? rentedPtr : rowBuffer;
                for (int i = 0; i < m; i++)
                {
                    float* ai;
                    if (op.TransA)
                    {
                        for (int p = 0; p < k; p++) aRow[p] = op.A[p * op.Lda + i];
                        ai = aRow;
                    }
                    else ai = op.A + i * op.Lda;
                    float* ci = op.C + i * op.Ldc;
                    if (op.TransB) DotRow(ai, op.B, op.Ldb, ci, n, k, op.Alpha, op.Beta);
                    else AxpyRow(ai, op.B, op.Ldb, ci, n, k, op.Alpha, op.Beta);
                }
            }
        }
        finally
        {
            if (rented != null) ArrayPool<float>.Shared.Return(rented);
        }
    }

    // c[0..n) = β·c + α·Σ_p a[p]·b[p,0..n)
    private static void AxpyRow(float* a, float* b, nint ldb, float* c, int n, int k, float alpha, float beta)
    {
        int w = Vector<float>.Count;
        if (beta == 0) new Span<float>(c, n).Clear();
        else if (beta != 1) for (int j = 0; j < n; j++) c[j] *= beta;
        for (int p = 0; p < k; p++)
        {
            float s = alpha * a[p];
            var sv = new Vector<float>(s);
            float* bp = b + p * ldb;
            int j = 0;
            for (; j <= n - w; j += w) Vector.Store(Vector.Load(c + j) + sv * Vector.Load(bp + j), c + j);
            for (; j < n; j++) c[j] += s * bp[j];
        }
    }

    // c[j] = β·c[j] + α·(a · b[j,0..k))
    private static void DotRow(float* a, float* b, nint ldb, float* c, int n, int k, float alpha, float beta)
    {
        int w = Vector<float>.Count;
        for (int j = 0; j < n; j++)
        {
            float* bj = b + j * ldb;
            var acc = Vector<float>.Zero;
            int p = 0;
            for (; p <= k - w; p += w) acc += Vector.Load(a + p) * Vector.Load(bj + p);
            float sum = Vector.Sum(acc);
            for (; p < k; p++) sum += a[p] * bj[p];
            c[j] = beta == 0 ? alpha * sum : alpha * sum + beta * c[j];
        }
    }
}
