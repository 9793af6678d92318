using Tensorlet.Kernels.Cpu;
using Tensorlet.Kernels.Cpu.Gemm;

namespace Tensorlet.Tests.Kernels;

/// <summary>
/// The 6×64 AVX-512 tile, which <see cref="GemmKernel.For(int, int)"/> picks where 64 columns divide C's width better than 48:
/// every row remainder of 6, column remainders of 0, 33, 49 and 63 past a 64-column tile, k inside one KC = 1024 slice
/// and across two or three of them, both transposes, β = 0 (NaN in C) and not, on 1 and 2 threads, against the
/// double-precision reference with the tolerance <see cref="SgemmTests"/> explains.
/// </summary>
[TestFixture]
public class SgemmWideTileTests : ThreadCountFixture
{
    private static readonly int[] Rows = [96, 97, 98, 99, 100, 101];
    private static readonly int[] Columns = [289, 320, 433, 511];

    [Test]
    public void TheseShapesTakeTheWideTile()
    {
        // Otherwise the test below would check some other tile.
        foreach (int m in Rows)
            foreach (int n in Columns)
                Assert.That(GemmKernel.Avx512.For(m, n), Is.SameAs(GemmKernel.Avx512Wide), $"{m}×{n}");
        Assert.That(GemmKernel.Avx512.For(149, 1151), Is.SameAs(GemmKernel.Avx512Wide));
    }

    /// <summary>Runs only where AVX-512 does; <see cref="TheseShapesTakeTheWideTile"/> runs everywhere.</summary>
    private static IEnumerable<TestCaseData> Threads12() =>
        from threads in new[] { 1, 2 }
        where Sgemm.IsSupported(GemmKernels.Avx512)
        select new TestCaseData(threads).SetName($"WideTileMatchesReference_{threads}Threads");

    private static IEnumerable<TestCaseData> Threads123() =>
        from threads in new[] { 1, 2, 3 }
        where Sgemm.IsSupported(GemmKernels.Avx512)
        select new TestCaseData(threads).SetName($"WideTileAcrossColumnBlocks_{threads}Threads");

    /// <summary>
    /// 1151 columns (63 past the last whole tile) span two NC = 1024 blocks of the wide tile, the second one partial; 149 rows
    /// make the row split the larger one, so every thread walks both blocks.
    /// </summary>
    [TestCaseSource(nameof(Threads123))]
    public void WideTileAcrossColumnBlocksMatchesReference(int threads)
    {
        Threads.Count = threads;
        for (int t = 0; t < 4; t++)
            SgemmTests.Check(149, 1151, 515, (t & 1) != 0, (t & 2) != 0, 1.5f, t == 3 ? 0f : 0.5f, pad: t, seed: t,
                             GemmKernels.Avx512);
    }

    [TestCaseSource(nameof(Threads12))]
    public void WideTileMatchesReference(int threads)
    {
        Threads.Count = threads;
        int[] depths = [5, 1030, 2100];
        int seed = 0;
        foreach (int m in Rows)
            foreach (int n in Columns)
            {
                int k = depths[seed % depths.Length];
                int t = seed % 4;
                SgemmTests.Check(m, n, k, (t & 1) != 0, (t & 2) != 0, 1.5f, t == 3 ? 0f : 0.5f, pad: t, seed: seed,
                                 GemmKernels.Avx512);
                seed++;
            }
    }
}
