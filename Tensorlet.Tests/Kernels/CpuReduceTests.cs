using Tensorlet.Kernels;
using Ref = Tensorlet.Kernels.Reference;
using static Tensorlet.Tests.Kernels.KernelTestKit;

namespace Tensorlet.Tests.Kernels;

public class CpuReduceTests
{
    private static readonly (int Outer, int Axis, int Inner)[] Shapes =
    [
        (1, 1, 1), (1, 7, 1), (3, 17, 1), (5, 1000, 1), (1, 100003, 1), (70, 1001, 1), (2, 33, 7), (4, 17, 33),
        (3, 100, 600), (7, 1, 5), (1, 5, 100003), (64, 65, 17),
    ];

    [Test]
    public void ReduceMatchesReference([Values] ReduceOp op)
    {
        int seed = 0;
        foreach (var (outer, axis, inner) in Shapes)
        {
            // Integer data makes ties, so "first index" is exercised for ArgMax/ArgMin.
            var x = op is ReduceOp.ArgMax or ReduceOp.ArgMin && seed % 2 == 0
                ? Integers(outer * axis * inner + 5, ++seed, -4, 5)
                : Random(outer * axis * inner + 5, ++seed);
            using var src = Upload(x);
            using var dst = Cpu.Allocate(outer * inner + 2);
            Cpu.Fill(StridedView.Contiguous(dst, 0, [dst.Length]), 42f);
            Cpu.Reduce(op, StridedView.Contiguous(src, 5, [outer, axis, inner]), 1, StridedView.Contiguous(dst, 1, [outer, 1, inner]), 0.5f);
            var expected = Ref.Reduce.Run(op, x[5..], outer, axis, inner, 0.5f);
            var actual = Download(dst);
            Assert.That(actual[0], Is.EqualTo(42f), "wrote before dstOffset");
            Assert.That(actual[^1], Is.EqualTo(42f), "wrote past the end");
            AssertClose(expected, actual[1..^1], 1e-6, 2e-6 * Math.Sqrt(axis), $"{op} [{outer}, {axis}, {inner}]");
        }
    }

    [Test]
    public void NaNPropagatesThroughMaxAndIsArgMax([Values(1, 9)] int inner)
    {
        var x = Random(40 * inner, 3);
        x[17 * inner] = float.NaN;
        x[23 * inner] = float.NaN;
        using var src = Upload(x);
        using var dst = Cpu.Allocate(inner);
        Cpu.Reduce(ReduceOp.Max, StridedView.Contiguous(src, 0, [1, 40, inner]), 1, StridedView.Contiguous(dst, 0, [1, 1, inner]));
        Assert.That(float.IsNaN(Download(dst)[0]));
        Cpu.Reduce(ReduceOp.ArgMax, StridedView.Contiguous(src, 0, [1, 40, inner]), 1, StridedView.Contiguous(dst, 0, [1, 1, inner]));
        Assert.That(Download(dst)[0], Is.EqualTo(17f));
        Cpu.Reduce(ReduceOp.ArgMin, StridedView.Contiguous(src, 0, [1, 40, inner]), 1, StridedView.Contiguous(dst, 0, [1, 1, inner]));
        AssertClose(Ref.Reduce.Run(ReduceOp.ArgMin, x, 1, 40, inner), Download(dst), 0, 0, "argmin with NaN");
    }

    [Test]
    public void SixteenMillionSumIsAccurateAndDeterministic()
    {
        const int n = 16 << 20;
        var x = Random(n, 77, 0f, 1f);
        double exact = 0;
        foreach (float v in x) exact += v;
        using var src = Upload(x);
        using var dst = Cpu.Allocate(1);
        int saved = Threads.Count;
        try
        {
            var results = new List<float>();
            foreach (int threads in new[] { 1, 2, 3, 2 })
            {
                Threads.Count = threads;
                Cpu.Reduce(ReduceOp.Sum, StridedView.Contiguous(src, 0, [1, n, 1]), 1, StridedView.Contiguous(dst, 0, [1, 1, 1]));
                float sum = Download(dst)[0];
                Assert.That(Math.Abs(sum - exact) / exact, Is.LessThan(1e-6), $"threads {threads}");
                results.Add(sum);
            }
            Assert.That(results[3], Is.EqualTo(results[1]), "same thread count, same bits");
        }
        finally { Threads.Count = saved; }
    }

    [Test]
    public void LongColumnSumIsAccurate()
    {
        // inner > 1 with a long axis: the column path must be as accurate as the row path.
        const int axis = 200_000, inner = 8;
        var x = Random(axis * inner, 5, 0f, 1f);
        using var src = Upload(x);
        using var dst = Cpu.Allocate(inner);
        Cpu.Reduce(ReduceOp.Sum, StridedView.Contiguous(src, 0, [1, axis, inner]), 1, StridedView.Contiguous(dst, 0, [1, 1, inner]), 1f / axis);
        AssertClose(Ref.Reduce.Run(ReduceOp.Sum, x, 1, axis, inner, 1f / axis), Download(dst), 1e-6, 0, "mean of long columns");
    }

    [Test]
    public void ColumnSumStripsMatchReferenceAndIgnoreThreadCount()
    {
        // Widths around the vector sizes and the strip width, row counts around the 4-row step and the 128-row block,
        // and a row stride wider than the columns summed (a column slice of a wider matrix).
        (int Axis, int Inner, int RowStride)[] cases =
        [
            (1, 17, 17), (3, 15, 15), (4, 16, 16), (5, 33, 40), (7, 2047, 2047), (127, 31, 31), (129, 47, 47), (1025, 2049, 2049),
            (2051, 4100, 4111), (9, 5000, 5000), (6, 65, 130),
        ];
        int saved = Threads.Count, seed = 100;
        try
        {
            foreach (var (axis, inner, rowStride) in cases)
            {
                var x = Random(axis * rowStride + 3, ++seed, 0f, 1f);
                using var src = Upload(x);
                using var dst = Cpu.Allocate(inner);
                var strided = new StridedView(src, 3, [1, axis, inner], [axis * rowStride, rowStride, 1]);
                var expected = new float[inner];
                for (int c = 0; c < inner; c++)
                {
                    double sum = 0;
                    for (int j = 0; j < axis; j++) sum += x[3 + j * rowStride + c];
                    expected[c] = (float)(sum * 0.25);
                }
                float[]? first = null;
                foreach (int threads in new[] { 1, 2, 3 })
                {
                    Threads.Count = threads;
                    Cpu.Reduce(ReduceOp.Sum, strided, 1, View(dst, 0, 1, 1, inner), 0.25f);
                    var actual = Download(dst);
                    AssertClose(expected, actual, 2e-6, 0, $"column sum [{axis}, {inner}] row stride {rowStride}, {threads} threads");
                    first ??= actual;
                    Assert.That(actual, Is.EqualTo(first), $"[{axis}, {inner}]: {threads} threads changed bits");
                }
            }
        }
        finally { Threads.Count = saved; }
    }
}
