using Tensorlet.Kernels.Cpu;
using Tensorlet.Kernels.Cpu.Gemm;

namespace Tensorlet.Tests.Kernels;

/// <summary>
/// How threads share a blocked GEMM (<see cref="ThreadSplit"/>): which cut each measured shape takes, and that the
/// column cut and the row cut both give the bits of one thread for every transpose, β = 0 over NaNs and β ≠ 0, on two
/// and three threads, and when the call runs inside a parallel part (both parts then run on one thread, one after the
/// other); one of them against the double-precision reference as well.
/// </summary>
[TestFixture]
public class SgemmThreadSplitTests : ThreadCountFixture
{
    // 1024 columns take the 6×64 tile on AVX-512 and are cut by columns; 1000 take the 8×48 one, whose 21 column tiles
    // split less evenly than 1031 rows' row tiles, so that C is cut by rows (and its last row tile is partial).
    private static readonly (int M, int N, int K, bool SplitN)[] Shapes = [(1024, 1024, 1024, true), (1031, 1000, 460, false)];

    private static GemmKernel Kernel(int m, int n) => GemmKernel.Best.For(m, n);

    private static float[] Random(int count, int seed)
    {
        var rng = new Random(seed);
        var data = new float[count];
        for (int i = 0; i < count; i++) data[i] = (float)(rng.NextDouble() * 2 - 1);
        return data;
    }

    private static float[] Product(int threads, int m, int n, int k, bool transA, bool transB, float beta, int seed)
    {
        Threads.Count = threads;
        var a = Random(m * k, seed);
        var b = Random(k * n, seed + 1);
        var c = beta == 0 ? Enumerable.Repeat(float.NaN, m * n).ToArray() : Random(m * n, seed + 2);
        Sgemm.Multiply(transA, transB, m, n, k, 1.25f, a, transA ? m : k, b, transB ? k : n, beta, c, n);
        return c;
    }

    [Test]
    public void TheseShapesTakeBothCuts()
    {
        if (!Sgemm.IsSupported(GemmKernels.Avx512)) Assert.Ignore("The shapes are chosen for the AVX-512 tiles.");
        foreach (var (m, n, k, splitN) in Shapes)
            Assert.That(ThreadSplit.Choose(Kernel(m, n), m, n, k, 2), Is.EqualTo((splitN, 2)), $"{m}×{n}×{k}");
    }

    [Test]
    public void WideOrTallEvenOrUnevenFewOrMany()
    {
        var wide = GemmKernel.Avx512Wide;
        // More column tiles than row tiles: always the columns.
        Assert.That(ThreadSplit.Choose(wide, 64, 4096, 256, 2), Is.EqualTo((true, 2)));
        // Square, 32 column tiles against 342 row tiles, both even: the columns.
        Assert.That(ThreadSplit.Choose(wide, 2048, 2048, 2048, 2), Is.EqualTo((true, 2)));
        // Taller than wide: the rows.
        Assert.That(ThreadSplit.Choose(wide, 4096, 1024, 1024, 2), Is.EqualTo((false, 2)));
        // One column tile per thread is too few: the rows.
        Assert.That(ThreadSplit.Choose(wide, 128, 128, 1024, 2), Is.EqualTo((false, 2)));
        // 21 column tiles of 48 split 11/10, the 125 row tiles 63/62: the rows.
        Assert.That(ThreadSplit.Choose(GemmKernel.Avx512, 1000, 1000, 1000, 2), Is.EqualTo((false, 2)));
        // Three threads over 32 column tiles (11/11/10) against 342 row tiles (114 each): the rows.
        Assert.That(ThreadSplit.Choose(wide, 2048, 2048, 2048, 3), Is.EqualTo((false, 3)));
        // Too little work for a second thread, or only one thread.
        Assert.That(ThreadSplit.Choose(wide, 64, 64, 64, 2).Parts, Is.EqualTo(1));
        Assert.That(ThreadSplit.Choose(wide, 2048, 2048, 2048, 1).Parts, Is.EqualTo(1));
        // Never more parts than tiles along the cut.
        Assert.That(ThreadSplit.Choose(wide, 6, 8192, 8192, 4), Is.EqualTo((true, 4)));
        Assert.That(ThreadSplit.Choose(wide, 12, 64, 1 << 20, 4), Is.EqualTo((false, 2)));
    }

    [Test]
    public void Evenness()
    {
        Assert.That(ThreadSplit.Evenness(32, 2), Is.EqualTo(1.0));
        Assert.That(ThreadSplit.Evenness(21, 2), Is.EqualTo(21.0 / 22).Within(1e-12));
        Assert.That(ThreadSplit.Evenness(32, 3), Is.EqualTo(32.0 / 33).Within(1e-12));
        Assert.That(ThreadSplit.Evenness(1, 2), Is.EqualTo(1.0), "one tile is one part, evenly");
    }

    [Test]
    public void BothCutsGiveTheBitsOfOneThread([Values(2, 3)] int threads)
    {
        int seed = 0;
        foreach (var (m, n, k, _) in Shapes)
            for (int t = 0; t < 4; t++, seed += 10)
            {
                bool transA = (t & 1) != 0, transB = (t & 2) != 0;
                float beta = t == 3 ? 0.5f : 0f;
                var one = Product(1, m, n, k, transA, transB, beta, seed);
                var many = Product(threads, m, n, k, transA, transB, beta, seed);
                Assert.That(many, Is.EqualTo(one), $"{m}×{n}×{k} {(transA ? "T" : "N")}{(transB ? "T" : "N")} β={beta}");
                Assert.That(many.All(float.IsFinite), "β = 0 must not read the NaNs in C");
            }
    }

    [Test]
    public void InsideAParallelPartBothPartsRunInTurn()
    {
        var (m, n, k, _) = Shapes[0];
        var expected = Product(1, m, n, k, false, false, 0f, 7);
        Threads.Count = 2;
        float[]? nested = null;
        Threads.Run(2, p => { if (p == 1) nested = Product(2, m, n, k, false, false, 0f, 7); });
        Assert.That(nested, Is.EqualTo(expected));
    }

    [Test]
    public void MatchesReference([Values(0, 1)] int shape)
    {
        Threads.Count = 2;
        var (m, n, k, _) = Shapes[shape];
        SgemmTests.Check(m, n, k, false, true, 1.5f, 0.5f, pad: 0, seed: 3);
    }
}
