using Tensorlet.Kernels;
using static Tensorlet.Tests.Conformance.ConformanceKit;
using static Tensorlet.Tests.Kernels.KernelTestKit;

namespace Tensorlet.Tests.Conformance;

/// <summary>
/// Batched GEMM on every backend against the reference: both transposes, empty and single sizes, odd sizes that straddle
/// tiles, padded leading dimensions, offsets, repeated (stride 0) and strided batches, β = 0 over NaN (not read) and β ≠ 0.
/// </summary>
public class GemmConformanceTests(string device) : BackendFixture(device)
{
    private static readonly (int M, int N, int K)[] Sizes = [(0, 3, 2), (2, 0, 3), (3, 2, 0), (1, 1, 1), (5, 7, 3), (17, 9, 33)];

    [Test]
    public void GemmAgrees([Values] bool transA, [Values] bool transB)
    {
        var sizes = Nightly ? Sizes.Append((40, 35, 70)) : Sizes;
        foreach (var (m, n, k) in sizes)
            foreach (var (alpha, beta) in new[] { (1f, 0f), (-0.5f, 1.5f) })
            {
                int aRows = transA ? k : m, aCols = transA ? m : k, bRows = transB ? n : k, bCols = transB ? k : n;
                int lda = aCols + 1, ldb = bCols + 2, ldc = n + 1, batch = 2;
                int strideA = aRows * lda + 1, strideC = m * ldc;
                var a = Random(3 + batch * strideA, m * 31 + k);
                var b = Random(bRows * ldb, n * 17 + k);       // one B for every batch (stride 0)
                var c = beta == 0 ? Enumerable.Repeat(float.NaN, batch * strideC + 2).ToArray() : Random(batch * strideC + 2, 5);
                Check(Backend, $"Gemm {m}×{n}×{k} transA={transA} transB={transB} α={alpha} β={beta}", [a, b, c],
                      (bk, x) => bk.Gemm(transA, transB, m, n, k, alpha, x[0], 3, lda, strideA, x[1], 0, ldb, 0,
                                         beta, x[2], 2, ldc, strideC, batch), rtol: 1e-5, atol: 1e-4);
            }
    }

    [Test]
    public void GemmPropagatesNaNAndInfinityFromItsOperands()
    {
        var a = Random(6, 1);
        a[0] = float.NaN;
        a[4] = float.PositiveInfinity;
        Check(Backend, "Gemm with NaN and ∞", [a, Random(6, 2), new float[4]],
              (b, x) => b.Gemm(false, false, 2, 2, 3, 1f, x[0], 0, 3, 0, x[1], 0, 2, 0, 0f, x[2], 0, 2, 0, 1));
    }
}
