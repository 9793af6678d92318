using System.Runtime.CompilerServices;
using Tensorlet.Kernels.Cpu.Gemm;
using Tensorlet.Kernels.Reference;

namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// Fast single-precision GEMM, C = α·op(A)·op(B) + β·C, row-major, with the same contract as
/// <see cref="Reference.Gemm.Multiply"/>. GotoBLAS/BLIS structure: A and B are packed into cache-sized blocks of
/// micro-panels (the AVX-512 tiles read an untransposed A in place instead) and a register-tiled FMA micro-kernel
/// (Vector512, else Vector256, else Vector&lt;float&gt;; see <see cref="GemmKernels"/>) computes each tile. C is split statically among <see cref="Threads.Count"/> parts,
/// each thread packing its own blocks, so the same thread count always gives the same bits (and, since every
/// element sums its k slices in the same order, so does any thread count). Which dimension is split is chosen by
/// <see cref="ThreadSplit"/>.
/// </summary>
public static unsafe class Sgemm
{
    /// <summary>
    /// Below this many multiply-adds (m·n·k) packing costs more than it saves: measured on Zen 4, the unpacked
    /// path wins up to about 12³ (untransposed B) to 24³ (transposed B), the packed one from 16³ on.
    /// </summary>
    internal const long SmallThreshold = 16 * 16 * 16;

    /// <summary>The micro-kernel <see cref="GemmKernels.Auto"/> uses on this CPU, e.g. "avx512 8x48".</summary>
    public static string Kernel => GemmKernel.Best.Name;

    /// <summary>The name and register tile of a kernel choice, e.g. "avx2 6x16".</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a <see cref="GemmKernels"/> member.</exception>
    /// <exception cref="PlatformNotSupportedException">This CPU cannot run that kernel.</exception>
    public static string KernelName(GemmKernels kernels) => GemmKernel.For(kernels, nameof(kernels)).Name;

    /// <summary>True when this CPU runs the kernel natively (<see cref="GemmKernels.Auto"/> and <see cref="GemmKernels.Portable"/> always).</summary>
    public static bool IsSupported(GemmKernels kernels) => GemmKernel.IsSupported(kernels);

    /// <summary>
    /// C = α·op(A)·op(B) + β·C where op(A) is m×k, op(B) is k×n and C is m×n, all row-major. Untransposed A holds
    /// (i,p) at a[i·lda+p]; transposed A is stored k×m, so op(A)(i,p) = a[p·lda+i]. B likewise. With β = 0, C is
    /// written without being read, so NaNs already in C do not propagate. <paramref name="kernels"/> picks the
    /// micro-kernel (<see cref="GemmKernels.Auto"/>: the widest this CPU runs).
    /// </summary>
    /// <exception cref="PlatformNotSupportedException">This CPU cannot run the chosen kernel.</exception>
    public static void Multiply(bool transA, bool transB, int m, int n, int k, float alpha,
                                ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
                                float beta, Span<float> c, int ldc, GemmKernels kernels = GemmKernels.Auto)
    {
        Run(GemmKernel.For(kernels, nameof(kernels)), transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /// <summary>The same product with the kernel already resolved (the backend resolves its choice once).</summary>
    internal static void Run(GemmKernel kernel, bool transA, bool transB, int m, int n, int k, float alpha,
                             ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
                             float beta, Span<float> c, int ldc)
    {
        OperationChecks.Gemm(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0) return;
        fixed (float* pa = a, pb = b, pc = c)
        {
            var op = new GemmOperands
            {
                TransA = transA, TransB = transB, K = k, Alpha = alpha, Beta = beta,
                A = pa, Lda = lda, B = pb, Ldb = ldb, C = pc, Ldc = ldc,
            };
            if (k == 0 || alpha == 0) ScaleC(pc, ldc, m, n, beta);
            // A single row of C reads B once either way; packing B first would only double that traffic.
            else if ((long)m * n * k < SmallThreshold || m == 1) SmallGemm.Run(op, m, n);
            else Blocked(op, kernel.For(m, n), m, n);
        }
    }

    private static void Blocked(GemmOperands op, GemmKernel kernel, int m, int n)
    {
        var (splitN, parts) = ThreadSplit.Choose(kernel, m, n, op.K, Threads.Count);
        if (parts <= 1)
        {
            BlockedGemm.Run(op, kernel, 0, m, 0, n);
            return;
        }
        int unit = splitN ? kernel.NR : kernel.MR, extent = splitN ? n : m;
        int tiles = (extent + unit - 1) / unit;
        Threads.Run(parts, p =>
        {
            var (t0, t1) = Threads.Range(tiles, parts, p);
            int s = t0 * unit, e = Math.Min(extent, t1 * unit);
            if (s >= e) return;
            if (splitN) BlockedGemm.Run(op, kernel, 0, m, s, e);
            else BlockedGemm.Run(op, kernel, s, e, 0, n);
        });
    }

    private static void ScaleC(float* c, nint ldc, int m, int n, float beta)
    {
        for (int i = 0; i < m; i++)
        {
            var row = new Span<float>(c + i * ldc, n);
            if (beta == 0) row.Clear();
            else if (beta != 1) for (int j = 0; j < n; j++) row[j] *= beta;
        }
    }
}
