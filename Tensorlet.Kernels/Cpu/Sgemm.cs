using System.Runtime.CompilerServices;
using Tensorlet.Kernels.Cpu.Gemm;
using Tensorlet.Kernels.Reference;

namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// Fast single-precision GEMM, C = α·op(A)·op(B) + β·C, row-major, with the same contract as
/// <see cref="Reference.Gemm.Multiply"/>. GotoBLAS/BLIS structure: A and B are packed into cache-sized blocks of
/// micro-panels and a register-tiled FMA micro-kernel (Vector512, else Vector256, else Vector&lt;float&gt;; see
/// <see cref="GemmKernels"/>) computes each tile. C is split statically among <see cref="Threads.Count"/> parts,
/// each thread packing its own blocks, so the same thread count always gives the same bits (and, since every
/// element sums its k slices in the same order, so does any thread count). Large products whose rows are split share
/// one packed B block among the threads instead (<see cref="SharedPackWork"/>), with the same bits.
/// </summary>
public static unsafe class Sgemm
{
    /// <summary>
    /// Below this many multiply-adds (m·n·k) packing costs more than it saves: measured on Zen 4, the unpacked
    /// path wins up to about 12³ (untransposed B) to 24³ (transposed B), the packed one from 16³ on.
    /// </summary>
    internal const long SmallThreshold = 16 * 16 * 16;

    /// <summary>Below this many multiply-adds per thread a second thread is not worth waking.</summary>
    internal const long MinWorkPerThread = 64 * 64 * 64;

    /// <summary>
    /// From this many multiply-adds on, threads that split C's rows pack one B block together
    /// (<see cref="BlockedGemm.RunSharedB"/>) where C's width fits in the NC·threads columns of one shared block. Paired in
    /// one process on two Zen 5 threads: 3–4% faster at 1024³, 1–2% at 2048³, 3% at 1500³ and 2000³ (8×48 tile), level at
    /// 768³; 2.5% slower at 1000³ and 2% at 4096³ (wider than one shared block of the 6×64 tile, so left per thread).
    /// Earlier, with KC = 512, sharing measured 5–17% slower at 256³–512³, where half of every block comes from the other
    /// core's cache for too little work to repay it.
    /// </summary>
    internal const long SharedPackWork = 768L * 768 * 768;

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
        int mr = kernel.MR, nr = kernel.NR;
        long work = (long)m * n * op.K;
        // Split whichever dimension has more register tiles, in whole tiles, so no tile straddles two threads.
        bool splitN = (n + nr - 1) / nr >= (m + mr - 1) / mr;
        int unit = splitN ? nr : mr, extent = splitN ? n : m;
        int tiles = (extent + unit - 1) / unit;
        int parts = (int)Math.Min(Math.Min(Threads.Count, tiles), Math.Max(1, work / MinWorkPerThread));
        if (parts <= 1)
        {
            BlockedGemm.Run(op, kernel, 0, m, 0, n);
            return;
        }
        if (!splitN && work >= SharedPackWork && n <= (long)kernel.NC * parts)
        {
            BlockedGemm.RunSharedB(op, kernel, m, n, parts);
            return;
        }
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
