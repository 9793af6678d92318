using Tensorlet.Kernels.Cpu;
using Tensorlet.Kernels.Cpu.Gemm;

namespace Tensorlet.Tests.Kernels;

/// <summary>
/// Untransposed A read in place (<see cref="GemmKernel.RunRows"/>): the tile kernels give the bits of their packed form, and
/// a whole product with untransposed A gives the bits of the same product with A stored transposed (which is always
/// packed) — partial row tiles at the end of each row block, several k slices, padded leading dimensions, β = 0 over
/// NaNs and β ≠ 0, on one and two threads.
/// </summary>
[TestFixture]
public unsafe class SgemmInPlaceATests : ThreadCountFixture
{
    private static float[] Random(int count, int seed)
    {
        var rng = new Random(seed);
        var data = new float[count];
        for (int i = 0; i < count; i++) data[i] = (float)(rng.NextDouble() * 2 - 1);
        return data;
    }

    private static IEnumerable<TestCaseData> RowKernels() =>
        from wide in new[] { false, true }
        where Sgemm.IsSupported(GemmKernels.Avx512)
        select new TestCaseData(wide).SetName($"RowsKernelGivesThePackedBits({(wide ? "6x64" : "8x48")})");

    [Test]
    public void OnlyTheTilesWithARowsFormReadAInPlace()
    {
        Assert.That(GemmKernel.Avx512.RunRows != null && GemmKernel.Avx512Wide.RunRows != null, "8×48 and 6×64");
        Assert.That(GemmKernel.Avx512Narrow.RunRows == null && GemmKernel.Avx2.RunRows == null && GemmKernel.Portable.RunRows == null,
                    "the other tiles always pack A");
    }

    [TestCaseSource(nameof(RowKernels))]
    public void RowsKernelGivesThePackedBits(bool wide)
    {
        var kernel = wide ? GemmKernel.Avx512Wide : GemmKernel.Avx512;
        const int kc = 300, pad = 7, lda = kc + pad;
        int mr = kernel.MR, nr = kernel.NR;
        var a = Random(mr * lda, 1);
        var b = Random(kc * nr, 2);
        var packedA = new float[mr * kc + 16];
        foreach (float beta in new[] { 0f, 1f, 0.5f })
        {
            var start = beta == 0 ? Enumerable.Repeat(float.NaN, mr * nr).ToArray() : Random(mr * nr, 3);
            var packed = (float[])start.Clone();
            var inPlace = (float[])start.Clone();
            fixed (float* pa = a, pb = b, pp = packedA, cp = packed, ci = inPlace)
            {
                Packing.PackA(false, pa, lda, 0, mr, 0, kc, mr, pp);
                kernel.Run(kc, pp, pb, cp, nr, 1.25f, beta);
                kernel.RunRows(kc, pa, lda, pb, ci, nr, 1.25f, beta);
            }
            Assert.That(inPlace, Is.EqualTo(packed), $"{kernel.Name} β={beta}");
            Assert.That(inPlace.All(float.IsFinite), "β = 0 must not read the NaNs in C");
        }
    }

    /// <summary>
    /// 1031×1000 takes the 8×48 tile (KC 256: k = 1100 is five slices, the last partial; 1031 rows end on a partial row
    /// tile), 100×1024 the 6×64 tile (KC 1024: k = 2100 is three slices; MC 48 leaves 4 rows past the last full tile).
    /// </summary>
    [Test]
    public void UntransposedAGivesTheBitsOfTransposedA([Values(1, 2)] int threads)
    {
        Threads.Count = threads;
        int seed = 10;
        foreach (var (m, n, k) in new[] { (1031, 1000, 1100), (100, 1024, 2100), (37, 1000, 70) })
            foreach (float beta in new[] { 0f, 0.5f })
            {
                int lda = k + 3, ldaT = m + 5, ldc = n + 2;
                var a = Random(m * lda, seed++);
                var aT = new float[k * ldaT];
                for (int i = 0; i < m; i++)
                    for (int p = 0; p < k; p++) aT[p * ldaT + i] = a[i * lda + p];
                var b = Random(k * n, seed++);
                var start = beta == 0 ? Enumerable.Repeat(float.NaN, m * ldc).ToArray() : Random(m * ldc, seed++);
                var rows = (float[])start.Clone();
                var packed = (float[])start.Clone();
                Sgemm.Multiply(false, false, m, n, k, 0.75f, a, lda, b, n, beta, rows, ldc);
                Sgemm.Multiply(true, false, m, n, k, 0.75f, aT, ldaT, b, n, beta, packed, ldc);
                Assert.That(rows, Is.EqualTo(packed), $"{m}×{n}×{k} β={beta} on {threads} thread(s)");
            }
    }

    [Test]
    public void MatchesReference()
    {
        Threads.Count = 2;
        SgemmTests.Check(1031, 1000, 1100, false, false, 1.5f, 0.5f, pad: 3, seed: 5);
        SgemmTests.Check(100, 1024, 2100, false, true, 1.5f, 0f, pad: 1, seed: 6);
    }
}
