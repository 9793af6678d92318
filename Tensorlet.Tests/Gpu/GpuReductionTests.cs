using Tensorlet.Kernels;
using static Tensorlet.Tests.Gpu.GpuTestKit;
using static Tensorlet.Tests.Kernels.KernelTestKit;

namespace Tensorlet.Tests.Gpu;

/// <summary>Reductions, gather/scatter-add and (log-)softmax on the GPU backend against the CPU backend.</summary>
public class GpuReductionTests
{
    // (outer, axis, inner): plain rows, columns, a long axis with few outputs (the chunked path), an empty axis.
    private static readonly (int Outer, int Axis, int Inner)[] Shapes =
        [(1, 1, 1), (3, 7, 5), (1, 1000, 1), (64, 10, 1), (1, 50, 64), (2, 3000, 3), (1, 5000, 1), (4, 1, 9), (5, 0, 2)];

    [Test]
    public void ReduceMatchesCpu([Values] ReduceOp op)
    {
        int seed = 0;
        foreach (var (outer, axis, inner) in Shapes)
        {
            if (axis == 0 && op != ReduceOp.Sum) continue;
            // Integers make ties, so first-index rules are exercised; the sum tolerance covers float summation order.
            var src = op is ReduceOp.ArgMax or ReduceOp.ArgMin ? Integers(outer * axis * inner, ++seed, -3, 4) : Random(outer * axis * inner, ++seed);
            var dst = Random(outer * inner + 3, ++seed);
            AssertSameOnBoth($"{op} [{outer}, {axis}, {inner}]", [src, dst],
                             (b, m) => b.Reduce(op, m[0], 0, outer, axis, inner, m[1], 2, op == ReduceOp.Sum ? 0.5f : 1f),
                             rtol: 1e-5, atol: 2e-5 * Math.Sqrt(Math.Max(axis, 1)));
        }
    }

    [Test]
    public void ExtremaPropagateNaNAsOnCpu([Values(ReduceOp.Max, ReduceOp.Min, ReduceOp.ArgMax, ReduceOp.ArgMin)] ReduceOp op)
    {
        var src = Random(2 * 2000 * 2, 3);
        src[2 * 700 + 1] = float.NaN;
        src[2 * 2000 * 2 - 1] = float.NaN;
        AssertSameOnBoth($"{op} with NaN", [src, new float[4]], (b, m) => b.Reduce(op, m[0], 0, 2, 2000, 2, m[1], 0), rtol: 0, atol: 0);
    }

    [Test]
    public void EmptyAxisExtremumIsRejected()
    {
        using var src = TestGpu.Allocate(4);
        using var dst = TestGpu.Allocate(4);
        var ex = Assert.Throws<ArgumentException>(() => TestGpu.Reduce(ReduceOp.Max, src, 0, 2, 0, 2, dst, 0));
        Assert.That(ex!.Message, Does.Contain("empty axis"));
    }

    [Test]
    public void GatherAndScatterAddMatchCpu()
    {
        foreach (var (outer, axis, inner, k) in new[] { (1, 10, 1, 1), (64, 10, 1, 1), (3, 7, 4, 5), (2, 5, 3, 12) })
        {
            var src = Random(outer * axis * inner, 1);
            var index = Integers(outer * k * inner, 2, 0, axis);
            AssertSameOnBoth($"Gather [{outer}, {axis}, {inner}] k {k}", [src, index, Random(outer * k * inner, 3)],
                             (b, m) => b.Gather(m[0], 0, outer, axis, inner, m[1], 0, k, m[2], 0), rtol: 0, atol: 0);
            AssertSameOnBoth($"ScatterAdd [{outer}, {k}, {inner}] into axis {axis}", [Random(outer * k * inner, 4), index, Random(outer * axis * inner, 5)],
                             (b, m) => b.ScatterAdd(m[0], 0, outer, k, inner, m[1], 0, axis, m[2], 0), rtol: 1e-6, atol: 1e-6);
        }
    }

    [Test]
    public void BadIndexIsReportedAtTheNextSynchronisation([Values(-1f, 10f, 2.5f)] float bad)
    {
        using var src = GpuTestKit.Upload(TestGpu, Random(10, 1));
        using var index = GpuTestKit.Upload(TestGpu, [3f, bad]);
        using var dst = TestGpu.Allocate(2);
        TestGpu.Gather(src, 0, 1, 10, 1, index, 0, 2, dst, 0);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => GpuTestKit.Download(TestGpu, dst));
        Assert.That(ex!.Message, Does.Contain("Gather").And.Contain($"index {bad}").And.Contain("axis of size 10"));
        // The error is reported once; the valid element was still gathered.
        var after = GpuTestKit.Download(TestGpu, dst);
        Assert.That(after[0], Is.EqualTo(GpuTestKit.Download(TestGpu, src)[3]));
    }

    [Test]
    public void SoftmaxForwardAndBackwardMatchCpu([Values] bool log)
    {
        foreach (var (rows, cols) in new[] { (1, 1), (64, 10), (7, 1000), (3, 33) })
        {
            var x = Random(rows * cols, rows + cols, -20f, 20f);
            x[0] = float.NegativeInfinity;
            AssertSameOnBoth($"softmax(log={log}) [{rows}, {cols}]", [x, new float[rows * cols]],
                             (b, m) => b.Softmax(log, m[0], 0, rows, cols, m[1], 0), rtol: 1e-5, atol: 1e-6);
            var y = Run(Cpu, [Random(rows * cols, 7), new float[rows * cols]], (b, m) => b.Softmax(log, m[0], 0, rows, cols, m[1], 0))[1];
            AssertSameOnBoth($"softmax backward (log={log}) [{rows}, {cols}]", [y, Random(rows * cols, 8), new float[rows * cols]],
                             (b, m) => b.SoftmaxBackward(log, m[0], 0, m[1], 0, rows, cols, m[2], 0), rtol: 1e-5, atol: 1e-6);
        }
    }

    [Test]
    public void AllRowsNegativeInfinityGiveNaNAsOnCpu()
    {
        float[] x = [float.NegativeInfinity, float.NegativeInfinity, 1f, 2f];
        AssertSameOnBoth("softmax of a −∞ row", [x, new float[4]], (b, m) => b.Softmax(false, m[0], 0, 2, 2, m[1], 0), rtol: 1e-6, atol: 0);
    }
}
