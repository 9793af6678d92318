using Tensorlet.Kernels;
using static Tensorlet.Tests.Conformance.ConformanceKit;
using static Tensorlet.Tests.Kernels.KernelTestKit;

namespace Tensorlet.Tests.Conformance;

/// <summary>
/// Reduce, Gather, ScatterAdd and (log-)softmax on every backend against the reference: empty, single and odd sizes,
/// rows and columns, a long axis, offsets into larger buffers, and NaN/±∞ (NaN wins a max, ties keep the first index).
/// </summary>
public class ReductionConformanceTests(string device) : BackendFixture(device)
{
    private static readonly (int Outer, int Axis, int Inner)[] Shapes =
        [(1, 1, 1), (3, 7, 1), (2, 5, 3), (1, 3, 9), (0, 4, 2), (2, 3, 0), (64, 10, 1), (1, 50, 64), (1, 5000, 1), (2, 1100, 3)];

    [Test]
    public void ReductionsAgree([Values] ReduceOp op)
    {
        for (int draw = 0; draw < Draws; draw++)
            foreach (var (outer, axis, inner) in Shapes)
            {
                int count = outer * axis * inner;
                // Specials only in the short shapes: a long sum of random values keeps its rounding comparable.
                var src = axis < 100 ? WithSpecials(count + 2, draw) : Random(count + 2, draw);
                // Whole numbers make ties, so the first-index rule is exercised over long axes too.
                if (op is ReduceOp.ArgMax or ReduceOp.ArgMin) src = Array.ConvertAll(src, MathF.Round);
                float scale = op == ReduceOp.Sum ? 0.5f : 1f;
                Check(Backend, $"{op} [{outer}, {axis}, {inner}]", [src, new float[outer * inner + 1]],
                      (b, m) => b.Reduce(op, StridedView.Contiguous(m[0], 2, [outer, axis, inner]), 1, StridedView.Contiguous(m[1], 1, [outer, 1, inner]), scale), rtol: 1e-5, atol: 2e-5 * Math.Sqrt(axis));
            }
    }

    [Test]
    public void SumOverAnEmptyAxisIsZero()
    {
        Check(Backend, "Sum over an empty axis", [new float[1], Random(6, 1)], (b, m) => b.Reduce(ReduceOp.Sum, StridedView.Contiguous(m[0], 0, [2, 0, 3]), 1, StridedView.Contiguous(m[1], 0, [2, 1, 3])));
    }

    [Test]
    public void GatherAndScatterAddAgree()
    {
        for (int draw = 0; draw < Draws; draw++)
            foreach (var (outer, axis, inner) in Shapes.Where(s => s.Axis < 100 && s.Axis > 0))
            {
                const int k = 4;
                var rng = new Random(draw);
                var index = Enumerable.Range(0, outer * k * inner).Select(_ => (float)rng.Next(axis)).ToArray();
                Check(Backend, $"Gather [{outer}, {axis}, {inner}]", [Random(outer * axis * inner + 1, draw), index, new float[outer * k * inner]],
                      (b, m) => b.Gather(StridedView.Contiguous(m[0], 1, [outer, axis, inner]), StridedView.Contiguous(m[1], 0, [outer, k, inner]), 1,
                                         StridedView.Contiguous(m[2], 0, [outer, k, inner])));
                // Repeated indices add up: the scatter's sums are the adjoint of the gather.
                Check(Backend, $"ScatterAdd [{outer}, {axis}, {inner}]", [Random(outer * k * inner, draw + 1), index, Random(outer * axis * inner, draw + 2)],
                      (b, m) => b.ScatterAdd(StridedView.Contiguous(m[0], 0, [outer, k, inner]), StridedView.Contiguous(m[1], 0, [outer, k, inner]), 1,
                                             StridedView.Contiguous(m[2], 0, [outer, axis, inner])));
            }
    }

    [Test]
    public void SoftmaxAndItsBackwardAgree([Values] bool log)
    {
        foreach (var (rows, cols) in new[] { (1, 1), (3, 7), (2, 130), (0, 5), (4, 1) })
            for (int draw = 0; draw < Draws; draw++)
            {
                var x = Random(rows * cols + 1, draw, -5f, 5f);
                if (rows * cols > 2) x[2] = float.NegativeInfinity; // a masked logit gets probability 0
                Check(Backend, $"{(log ? "LogSoftmax" : "Softmax")} [{rows}, {cols}]", [x, new float[rows * cols]],
                      (b, m) => b.Softmax(log, m[0], 1, rows, cols, m[1], 0), rtol: 1e-5, atol: 1e-6);
                var y = ReferenceSoftmax(log, x, rows, cols);
                Check(Backend, $"{(log ? "LogSoftmax" : "Softmax")}Backward [{rows}, {cols}]", [y, Random(rows * cols, draw + 7), new float[rows * cols]],
                      (b, m) => b.SoftmaxBackward(log, m[0], 0, m[1], 0, rows, cols, m[2], 0), rtol: 1e-5, atol: 1e-5);
            }
    }

    [Test]
    public void ARowOfMinusInfinityIsNaNOnEveryBackend()
    {
        Check(Backend, "Softmax of −∞ only", [[float.NegativeInfinity, float.NegativeInfinity, 0f], new float[3]],
              (b, m) => b.Softmax(false, m[0], 0, 1, 2, m[1], 0));
    }

    private static float[] ReferenceSoftmax(bool log, float[] x, int rows, int cols) =>
        Run(Oracle, [x, new float[rows * cols]], (b, m) => b.Softmax(log, m[0], 1, rows, cols, m[1], 0))[1];
}
