using Tensorlet.Kernels.Cpu;
using Tensorlet.Kernels.Cpu.Gemm;
using RefGemm = Tensorlet.Kernels.Reference.Gemm;

namespace Tensorlet.Tests.Kernels;

/// <summary>
/// The packed SGEMM against the double-accumulating reference. Tolerance: a float dot product of length k
/// (with or without FMA) satisfies |fl(x·y) − x·y| ≤ γ_k·Σ|x_p·y_p| with γ_k ≈ k·u, u = 2⁻²⁴ (Higham, ch. 3);
/// α and β add a few more roundings. So each element is checked against
/// (k + 4)·u·(|α|·Σ_p|a_ip·b_pj| + |β·c_ij|), computed from the absolute values with the reference itself.
/// That bound is rigorous (no flaky failures) yet far tighter than the error of a dropped or doubled term
/// (≈ Σ/k for random data), so indexing bugs cannot hide under it.
/// </summary>
[TestFixture]
public class SgemmTests : ThreadCountFixture
{
    private static readonly (int M, int N, int K)[] Shapes =
    [
        (1, 1, 1), (1, 7, 3), (5, 1, 9), (3, 3, 1), (2, 2, 2), (13, 17, 19),         // small path
        (6, 32, 64), (7, 33, 41), (31, 37, 43), (64, 64, 64), (97, 101, 103),        // one block, edge tiles
        (145, 65, 257), (257, 129, 515), (300, 31, 300), (12, 300, 7), (289, 3, 37), // several MC and KC blocks
        (1, 513, 300), (300, 1, 300), (7, 4133, 33),                                 // a vector; several NC blocks
    ];

    private static IEnumerable<TestCaseData> ShapeCases() =>
        from s in Shapes
        from ta in new[] { false, true }
        from tb in new[] { false, true }
        select new TestCaseData(s.M, s.N, s.K, ta, tb).SetName($"Shape_{s.M}x{s.N}x{s.K}_{(ta ? "T" : "N")}{(tb ? "T" : "N")}");

    [TestCaseSource(nameof(ShapeCases))]
    public void MatchesReference(int m, int n, int k, bool transA, bool transB)
    {
        Threads.Count = 2;
        Check(m, n, k, transA, transB, alpha: 1f, beta: 0f, pad: 0, seed: m * 31 + n * 7 + k);
    }

    [TestCase(1f, 1f)]
    [TestCase(0.5f, 0f)]
    [TestCase(-1.5f, 2f)]
    [TestCase(2f, -0.25f)]
    [TestCase(0f, 0.5f)]
    public void AlphaBeta(float alpha, float beta)
    {
        foreach (var (m, n, k) in new[] { (13, 17, 19), (97, 101, 103), (145, 65, 257) })
            foreach (bool ta in new[] { false, true })
                Check(m, n, k, ta, !ta, alpha, beta, pad: 0, seed: 5);
    }

    [Test]
    public void LeadingDimensionsLargerThanRows()
    {
        foreach (var (m, n, k) in new[] { (5, 6, 7), (70, 45, 300), (150, 70, 33) })
            for (int t = 0; t < 4; t++)
                Check(m, n, k, (t & 1) != 0, (t & 2) != 0, 1.25f, 0.75f, pad: 5, seed: t);
    }

    [Test]
    public void BetaZeroIgnoresNaNInC()
    {
        // Check fills C with NaN whenever beta is 0; here also with padding and both kernels' edge paths.
        foreach (var (m, n, k) in new[] { (3, 4, 5), (61, 67, 71), (200, 100, 300) })
            Check(m, n, k, false, false, 2f, 0f, pad: 3, seed: 11);
    }

    [Test]
    public void KZeroScalesC()
    {
        var c = new float[] { 1, 2, 3, 4 };
        Sgemm.Multiply(false, false, 2, 2, 0, 1f, [], 1, [], 2, 0.5f, c, 2);
        Assert.That(c, Is.EqualTo(new float[] { 0.5f, 1, 1.5f, 2 }));
        var nan = new float[] { float.NaN, float.NaN };
        Sgemm.Multiply(false, false, 1, 2, 0, 1f, [], 1, [], 2, 0f, nan, 2);
        Assert.That(nan, Is.EqualTo(new float[] { 0, 0 }));
    }

    [TestCase(1)]
    [TestCase(2)]
    public void DeterministicAcrossRunsAndThreadCounts(int threads)
    {
        Threads.Count = threads;
        const int m = 257, n = 129, k = 515;
        var rng = new Random(3);
        float[] a = Random(rng, m * k), b = Random(rng, k * n);
        float[] c1 = new float[m * n], c2 = new float[m * n];
        Sgemm.Multiply(false, true, m, n, k, 1f, a, k, b, k, 0f, c1, n);
        Sgemm.Multiply(false, true, m, n, k, 1f, a, k, b, k, 0f, c2, n);
        Assert.That(c2, Is.EqualTo(c1), "two runs with the same thread count differ");
        Threads.Count = 3 - threads;
        Sgemm.Multiply(false, true, m, n, k, 1f, a, k, b, k, 0f, c2, n);
        Assert.That(c2, Is.EqualTo(c1), "1 and 2 threads differ");
    }

    /// <summary>Every kernel this CPU runs; on an AVX-512 machine that is all of them, so each is checked here.</summary>
    private static IEnumerable<TestCaseData> Kernels() =>
        from kernel in Enum.GetValues<GemmKernels>()
        where Sgemm.IsSupported(kernel)
        select new TestCaseData(kernel).SetName($"Kernel_{kernel}");

    [TestCaseSource(nameof(Kernels))]
    public void EveryKernelMatchesReference(GemmKernels kernel)
    {
        // Edge shapes for every tile (6×16, 8×48, 4×2V): 1, primes, one past and one short of a tile, several
        // KC (160, 256) and MC blocks, with padding, both transposes and β = 0 (NaN in C) or not.
        var shapes = new[] { (1, 1, 1), (1, 97, 13), (7, 33, 41), (9, 49, 161), (47, 95, 17), (97, 101, 103),
                             (145, 65, 257), (300, 31, 300), (193, 47, 330), (2, 200, 3), (64, 27, 1100), (13, 20, 300) };
        foreach (int threads in new[] { 1, 2 })
        {
            Threads.Count = threads;
            foreach (var (m, n, k) in shapes)
                for (int t = 0; t < 4; t++)
                    Check(m, n, k, (t & 1) != 0, (t & 2) != 0, 1.5f, t == 3 ? 0f : 0.5f, pad: t, seed: t, kernel);
        }
    }

    [Test]
    public void ShapePicksTheAvx512TileThatPadsLeast()
    {
        // The 12×32 and 6×64 tiles are reached only through this choice, so pin it down.
        Assert.That(GemmKernel.Avx512.For(300, 31), Is.SameAs(GemmKernel.Avx512Narrow));
        Assert.That(GemmKernel.Avx512.For(64, 27), Is.SameAs(GemmKernel.Avx512Narrow));
        Assert.That(GemmKernel.Avx512.For(64, 576), Is.SameAs(GemmKernel.Avx512));
        foreach (int n in new[] { 256, 512, 1024, 2048, 4096 })
            Assert.That(GemmKernel.Avx512.For(n, n), Is.SameAs(GemmKernel.Avx512Wide), $"{n}×{n}");
        // Equal padded area (64 rows pad to 66, 1024 columns to 1056): the 8-row tile convolutions tune for stays.
        Assert.That(GemmKernel.Avx512.For(64, 1024), Is.SameAs(GemmKernel.Avx512));
        Assert.That(GemmKernel.Avx512.For(16, 1024), Is.SameAs(GemmKernel.Avx512));
        Assert.That(GemmKernel.Avx2.For(5, 7), Is.SameAs(GemmKernel.Avx2));
    }

    [TestCaseSource(nameof(Kernels))]
    public void EveryKernelGivesTheSameBitsForAnyThreadCount(GemmKernels kernel)
    {
        const int m = 131, n = 263, k = 389;
        var rng = new Random(9);
        float[] a = Random(rng, m * k), b = Random(rng, k * n), c1 = new float[m * n], c2 = new float[m * n];
        Threads.Count = 1;
        Sgemm.Multiply(false, false, m, n, k, 1f, a, k, b, n, 0f, c1, n, kernel);
        Threads.Count = 2;
        Sgemm.Multiply(false, false, m, n, k, 1f, a, k, b, n, 0f, c2, n, kernel);
        Assert.That(c2, Is.EqualTo(c1), $"{Sgemm.KernelName(kernel)}: 1 and 2 threads differ");
    }

    [Test]
    public void KernelIsNamed()
    {
        Assert.That(Sgemm.Kernel, Does.Match(@"^\w+ \d+x\d+$"));
        Assert.That(Sgemm.KernelName(GemmKernels.Auto), Is.EqualTo(Sgemm.Kernel));
        Assert.That(Sgemm.KernelName(GemmKernels.Portable), Does.StartWith("vector"));
    }

    [Test]
    public void KernelChoiceOutsideTheEnumIsRefused()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Sgemm.Multiply(false, false, 2, 2, 2, 1f, new float[4], 2, new float[4], 2, 0f, new float[4], 2, (GemmKernels)42))!;
        Assert.That(ex.ParamName, Is.EqualTo("kernels"));
        Assert.That(ex.Message, Does.Contain("42").And.Contain("Avx512"));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new CpuBackend((GemmKernels)(-1)));
    }

    [Test]
    public void KernelTheCpuLacksIsRefused()
    {
        // Either the CPU runs a kernel (and it computes) or choosing it throws a clear error; never a fault.
        foreach (var kernel in Enum.GetValues<GemmKernels>())
        {
            if (Sgemm.IsSupported(kernel))
            {
                Assert.That(new CpuBackend(kernel).KernelName, Is.EqualTo(Sgemm.KernelName(kernel)));
                continue;
            }
            var ex = Assert.Throws<PlatformNotSupportedException>(() => _ = new CpuBackend(kernel))!;
            Assert.That(ex.Message, Does.Contain(kernel.ToString()));
        }
        Assert.That(Sgemm.IsSupported(GemmKernels.Auto) && Sgemm.IsSupported(GemmKernels.Portable));
    }

    [Test]
    public void ValidationNamesArgumentAndSizes()
    {
        var small = new float[5];
        var ex = Assert.Throws<ArgumentException>(() =>
            Sgemm.Multiply(false, false, 2, 3, 4, 1f, small, 4, new float[12], 3, 0f, new float[6], 3))!;
        Assert.That(ex.ParamName, Is.EqualTo("a"));
        Assert.That(ex.Message, Does.Contain("2×4").And.Contain("5").And.Contain("8"));

        ex = Assert.Throws<ArgumentException>(() =>
            Sgemm.Multiply(false, true, 2, 3, 4, 1f, new float[8], 4, new float[12], 3, 0f, new float[6], 3))!;
        Assert.That(ex.ParamName, Is.EqualTo("ldb"));
        Assert.That(ex.Message, Does.Contain("ldb=3").And.Contain("row length 4"));

        ex = Assert.Throws<ArgumentException>(() =>
            RefGemm.Multiply(false, false, 2, 3, 4, 1f, new float[8], 4, new float[12], 3, 0f, new float[5], 3))!;
        Assert.That(ex.ParamName, Is.EqualTo("c"));
        Assert.That(ex.Message, Does.Contain("2×3").And.Contain("needs 6"));

        Assert.Throws<ArgumentException>(() =>
            Sgemm.Multiply(false, false, -1, 3, 4, 1f, new float[8], 4, new float[12], 3, 0f, new float[6], 3));
    }

    internal static void Check(int m, int n, int k, bool transA, bool transB, float alpha, float beta, int pad, int seed,
                              GemmKernels kernel = GemmKernels.Auto)
    {
        var rng = new Random(seed);
        int lda = (transA ? m : k) + pad, ldb = (transB ? k : n) + pad, ldc = n + pad;
        float[] a = Random(rng, (transA ? k : m) * lda), b = Random(rng, (transB ? n : k) * ldb);
        float[] c0 = Random(rng, m * ldc);
        if (beta == 0) Array.Fill(c0, float.NaN);
        float[] expected = (float[])c0.Clone(), actual = (float[])c0.Clone();
        RefGemm.Multiply(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, expected, ldc);
        Sgemm.Multiply(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, actual, ldc, kernel);

        // Σ|a·b| per element, the scale of the rounding error.
        float[] absA = Array.ConvertAll(a, Math.Abs), absB = Array.ConvertAll(b, Math.Abs);
        float[] magnitude = new float[m * ldc];
        RefGemm.Multiply(transA, transB, m, n, k, Math.Abs(alpha), absA, lda, absB, ldb, 0f, magnitude, ldc);
        double u = Math.Pow(2, -24);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                int idx = i * ldc + j;
                double scale = magnitude[idx] + (beta == 0 ? 0 : Math.Abs(beta * c0[idx]));
                double tol = (k + 4) * u * scale + 1e-30;
                double diff = Math.Abs((double)actual[idx] - expected[idx]);
                if (!(diff <= tol))
                    Assert.Fail($"{kernel} {m}x{n}x{k} trans=({transA},{transB}) α={alpha} β={beta} pad={pad}: C[{i},{j}] = " +
                                $"{actual[idx]}, reference {expected[idx]}, |diff| {diff:G3} > tol {tol:G3}");
            }
        // Padding between rows of C belongs to someone else and must be untouched.
        for (int i = 0; i < m; i++)
            for (int j = n; j < ldc; j++)
                if (BitConverter.SingleToInt32Bits(actual[i * ldc + j]) != BitConverter.SingleToInt32Bits(c0[i * ldc + j]))
                    Assert.Fail($"padding C[{i},{j}] was written");
    }

    private static float[] Random(Random rng, int length)
    {
        var x = new float[length];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }
}
