using Tensorlet.Kernels;
using static Tensorlet.Tests.Conformance.ConformanceKit;
using static Tensorlet.Tests.Kernels.KernelTestKit;

namespace Tensorlet.Tests.Conformance;

/// <summary>
/// Reduce, Gather and ScatterAdd on every backend against the reference: empty, single and odd sizes,
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
}
