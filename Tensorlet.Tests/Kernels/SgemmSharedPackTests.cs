using Tensorlet.Kernels.Cpu;
using Tensorlet.Kernels.Cpu.Gemm;

namespace Tensorlet.Tests.Kernels;

/// <summary>
/// Products large enough that threads splitting C's rows share one packed B block (<see cref="BlockedGemm.RunSharedB"/>):
/// the same bits as one thread, which packs its own blocks, for every transpose, β = 0 over NaNs and β ≠ 0, on two and
/// three threads, and when the call runs inside a parallel part (both parts then run on one thread, one after the other);
/// one of them against the double-precision reference as well.
/// </summary>
[TestFixture]
public class SgemmSharedPackTests : ThreadCountFixture
{
    // 1024 columns take the 6×64 tile on AVX-512, 1000 the 8×48 one; 1031 rows leave a partial row tile.
    private static readonly (int M, int N, int K)[] Shapes = [(1024, 1024, 1024), (1031, 1000, 460)];

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
    public void TheseShapesShareThePackedB()
    {
        foreach (var (m, n, k) in Shapes)
            Assert.That((long)m * n * k, Is.GreaterThanOrEqualTo(Sgemm.SharedPackWork), $"{m}×{n}×{k}");
    }

    [Test]
    public void SharedBlocksGiveTheBitsOfOneThread([Values(2, 3)] int threads)
    {
        int seed = 0;
        foreach (var (m, n, k) in Shapes)
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
        var (m, n, k) = Shapes[0];
        var expected = Product(1, m, n, k, false, false, 0f, 7);
        Threads.Count = 2;
        float[]? nested = null;
        Threads.Run(2, p => { if (p == 1) nested = Product(2, m, n, k, false, false, 0f, 7); });
        Assert.That(nested, Is.EqualTo(expected));
    }

    [Test]
    public void MatchesReference()
    {
        Threads.Count = 2;
        var (m, n, k) = Shapes[1];
        SgemmTests.Check(m, n, k, false, true, 1.5f, 0.5f, pad: 0, seed: 3);
    }
}
