using Tensorlet.Kernels;
using Ref = Tensorlet.Kernels.Reference;
using static Tensorlet.Tests.Kernels.KernelTestKit;

namespace Tensorlet.Tests.Kernels;

public class CpuIndexingSoftmaxTests
{
    private static readonly (int Outer, int Axis, int Inner, int K)[] GatherShapes =
        [(1, 1, 1, 1), (4, 10, 1, 1), (3, 7, 5, 4), (128, 1000, 1, 1), (2, 5, 33, 9), (600, 40, 3, 70)];

    [Test]
    public void GatherAndScatterAddMatchReference()
    {
        int seed = 0;
        foreach (var (outer, axis, inner, k) in GatherShapes)
        {
            var x = Random(outer * axis * inner, ++seed);
            var index = Integers(outer * k * inner, ++seed, 0, axis);
            using var src = Upload(x);
            using var ix = Upload(index);
            using var dst = Cpu.Allocate(outer * k * inner);
            Cpu.Gather(StridedView.Contiguous(src, 0, [outer, axis, inner]), StridedView.Contiguous(ix, 0, [outer, k, inner]), 1,
                       StridedView.Contiguous(dst, 0, [outer, k, inner]));
            AssertClose(Ref.Indexing.Gather(x, outer, axis, inner, index, k), Download(dst), 0, 0, $"gather [{outer},{axis},{inner}] k {k}");

            var g = Random(outer * k * inner, ++seed);
            var acc = Random(outer * axis * inner, ++seed);
            using var gd = Upload(g);
            using var accd = Upload(acc);
            Cpu.ScatterAdd(StridedView.Contiguous(gd, 0, [outer, k, inner]), StridedView.Contiguous(ix, 0, [outer, k, inner]), 1,
                           StridedView.Contiguous(accd, 0, [outer, axis, inner]));
            Ref.Indexing.ScatterAdd(g, outer, k, inner, index, axis, acc);
            AssertClose(acc, Download(accd), 1e-6, 1e-6, $"scatter-add [{outer},{axis},{inner}] k {k}");
        }
    }

    [TestCase(5f, "index 5")]
    [TestCase(-1f, "index -1")]
    [TestCase(1.5f, "index 1.5")]
    [TestCase(float.NaN, "index NaN")]
    public void BadIndexNamesTheIndexAndAxisSize(float bad, string expected)
    {
        using var src = Upload(Random(2 * 5 * 3, 1));
        var index = Integers(2 * 2 * 3, 2, 0, 5);
        index[7] = bad;
        using var ix = Upload(index);
        using var dst = Cpu.Allocate(2 * 2 * 3);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Cpu.Gather(StridedView.Contiguous(src, 0, [2, 5, 3]), StridedView.Contiguous(ix, 0, [2, 2, 3]), 1,
                                                                                       StridedView.Contiguous(dst, 0, [2, 2, 3])))!;
        Assert.That(ex.Message, Does.Contain("Gather").And.Contain(expected).And.Contain("axis of size 5").And.Contain("at position 7 "));
        ex = Assert.Throws<ArgumentOutOfRangeException>(() => Cpu.ScatterAdd(StridedView.Contiguous(dst, 0, [2, 2, 3]), StridedView.Contiguous(ix, 0, [2, 2, 3]), 1,
                                                                                  StridedView.Contiguous(src, 0, [2, 5, 3])))!;
        Assert.That(ex.Message, Does.Contain("ScatterAdd").And.Contain(expected));
    }

    private static readonly (int Rows, int Cols)[] SoftmaxShapes = [(1, 1), (3, 7), (5, 17), (3, 25), (2, 33), (64, 1000), (2, 100003), (700, 100)];

    [Test]
    public void SoftmaxForwardAndBackwardMatchReference([Values] bool log, [Values(1f, 1000f)] float logitScale)
    {
        int seed = 0;
        foreach (var (rows, cols) in SoftmaxShapes)
        {
            var x = Random(rows * cols, ++seed).Select(v => v * logitScale).ToArray();
            using var src = Upload(x);
            using var y = Cpu.Allocate(rows * cols);
            Cpu.Softmax(log, StridedView.Contiguous(src, 0, [rows, cols]), StridedView.Contiguous(y, 0, [rows, cols]));
            var expected = Ref.Softmax.Forward(log, x, rows, cols);
            var actual = Download(y);
            Assert.That(actual.All(float.IsFinite) || log, $"softmax produced non-finite values [{rows},{cols}]");
            AssertClose(expected, actual, 2e-5, log ? 1e-5 : 1e-7, $"{(log ? "log-" : "")}softmax [{rows},{cols}] ×{logitScale}");

            var g = Random(rows * cols, ++seed);
            using var gd = Upload(g);
            using var dx = Cpu.Allocate(rows * cols);
            Cpu.SoftmaxBackward(log, StridedView.Contiguous(y, 0, [rows, cols]), StridedView.Contiguous(gd, 0, [rows, cols]),
                                StridedView.Contiguous(dx, 0, [rows, cols]));
            AssertClose(Ref.Softmax.Backward(log, actual, g, rows, cols), Download(dx), 2e-5, 1e-5, $"backward [{rows},{cols}]");
        }
    }

    [Test]
    public void SoftmaxOfHugeLogitsIsExact()
    {
        float[] x = [1000f, 1000f, -1000f, 0f];
        using var src = Upload(x);
        using var y = Cpu.Allocate(4);
        Cpu.Softmax(false, StridedView.Contiguous(src, 0, [4]), StridedView.Contiguous(y, 0, [4]));
        Assert.That(Download(y), Is.EqualTo(new[] { 0.5f, 0.5f, 0f, 0f }).Within(1e-6f));
        Cpu.Softmax(true, StridedView.Contiguous(src, 0, [4]), StridedView.Contiguous(y, 0, [4]));
        AssertClose([-MathF.Log(2), -MathF.Log(2), -2000f - MathF.Log(2), -1000f - MathF.Log(2)], Download(y), 1e-6, 1e-6, "log-softmax");
    }

    [Test]
    public void GemmRoutesBatchesTransposesAndBeta([Values] bool transA, [Values] bool transB)
    {
        const int m = 5, n = 4, k = 3, batch = 3;
        var a = Random(batch * m * k + 2, 1);
        var b = Random(k * n, 2);
        var c = Random(batch * m * n, 3);
        using var ad = Upload(a);
        using var bd = Upload(b);
        using var cd = Upload(c);
        int lda = transA ? m : k, ldb = transB ? k : n;
        // Batches of A m·k apart from offset 2, one B for every batch (stride 0), each transposed by its strides.
        var av = new StridedView(ad, 2, [batch, m, k], transA ? [m * k, 1, lda] : [m * k, lda, 1]);
        var bv = new StridedView(bd, 0, [batch, k, n], transB ? [0, 1, ldb] : [0, ldb, 1]);
        Cpu.Gemm(2f, av, bv, 0.5f, StridedView.Contiguous(cd, 0, [batch, m, n]));
        var expected = new float[c.Length];
        for (int p = 0; p < batch; p++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double s = 0;
                    for (int q = 0; q < k; q++)
                        s += a[2 + p * m * k + (transA ? q * lda + i : i * lda + q)] * (double)b[transB ? j * ldb + q : q * ldb + j];
                    expected[p * m * n + i * n + j] = (float)(2 * s + 0.5 * c[p * m * n + i * n + j]);
                }
        AssertClose(expected, Download(cd), 1e-5, 1e-5, "batched gemm");
    }
}
