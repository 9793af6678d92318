using Tensorlet.Kernels;
using Tensorlet.Tests.Kernels;
using static Tensorlet.Tests.Conformance.ConformanceKit;
using static Tensorlet.Tests.Kernels.KernelTestKit;

namespace Tensorlet.Tests.Conformance;

/// <summary>
/// Reduce, Gather and ScatterAdd over operands that are not dense, on every backend against the reference: layouts the
/// kernels walk where they lie (transposed, sliced rows with an offset, batch strides, broadcast rows) and layouts that
/// go through a dense copy (a cut-up group of dims, an output whose order differs from its input's).
/// </summary>
public class StridedAxisConformanceTests(string device) : BackendFixture(device)
{
    private static readonly (string Name, Layout Layout)[] Sources =
    [
        ("transposed", Layout.Permuted([7, 5], 1, 0)),
        ("sliced rows", new Layout(3 + 6 * 13, 3, [6, 9], [13, 1])),
        ("batch-strided", new Layout(2 + 3 * 27, 2, [3, 4, 5], [27, 5, 1])),
        ("broadcast rows", Layout.Broadcast([4, 9], true, false)),
        ("permuted", Layout.Permuted([2, 3, 4], 2, 0, 1)),
        ("sliced middle", new Layout(120, 0, [4, 2, 6], [30, 6, 1])),
        // A long strided axis with few outputs: the GPU's two-pass chunked reduction over a strided source.
        ("long transposed", Layout.Permuted([1100, 3], 1, 0)),
    ];

    [Test]
    public void ReductionsOfStridedSourcesAgree([Values] ReduceOp op)
    {
        float scale = op == ReduceOp.Sum ? 0.5f : 1f;
        foreach (var (name, layout) in Sources)
            for (int axis = 0; axis < layout.Shape.Length; axis++)
            {
                int length = layout.Shape[axis];
                // Specials only on short axes: a long sum of random values keeps its rounding comparable.
                var src = length < 100 ? WithSpecials(layout.Length, axis) : Random(layout.Length, axis);
                if (op is ReduceOp.ArgMax or ReduceOp.ArgMin) src = Array.ConvertAll(src, MathF.Round);
                var kept = Kept(layout.Shape, axis);
                Check(Backend, $"{op} {name} {layout} axis {axis}", [src, new float[Count(kept) + 1]],
                      (b, m) => b.Reduce(op, On(m[0], layout), axis, StridedView.Contiguous(m[1], 1, kept), scale),
                      rtol: 1e-5, atol: 2e-5 * Math.Sqrt(length));
            }
    }

    [Test]
    public void ReductionsIntoStridedDestinationsAgree([Values] ReduceOp op)
    {
        // dst [6, 1, 5] stored transposed ([5, 6]); and dst [1, 4] every third element after an offset.
        var src = Random(6 * 4 * 5, 3);
        Check(Backend, $"{op} into a transposed dst", [src, new float[30]],
              (b, m) => b.Reduce(op, StridedView.Contiguous(m[0], 0, [6, 4, 5]), 1, new StridedView(m[1], 0, [6, 1, 5], [1, 30, 6])));
        Check(Backend, $"{op} into a stepped dst", [src[..24], new float[14]],
              (b, m) => b.Reduce(op, StridedView.Contiguous(m[0], 0, [6, 4]), 0, new StridedView(m[1], 2, [1, 4], [0, 3])));
    }

    [Test]
    public void GatherOfStridedOperandsAgrees() => CheckIndexCases(scatter: false);

    [Test]
    public void ScatterAddIntoStridedOperandsAgrees() => CheckIndexCases(scatter: true);

    /// <summary>
    /// Runs each of <see cref="GatherCases"/> as a Gather, or read the other way as a ScatterAdd: gather's src is
    /// scatter's accumulator (the operand the indices point into), gather's dst shape is scatter's src.
    /// </summary>
    private void CheckIndexCases(bool scatter)
    {
        foreach (var (name, indexed, index, byIndex, axis) in GatherCases())
        {
            var indices = Indices(index, indexed.Shape[axis]);
            if (scatter)
                Check(Backend, $"ScatterAdd {name}", [Random(byIndex.Length, 3), indices, Random(indexed.Length, 4)],
                      (b, m) => b.ScatterAdd(On(m[0], byIndex), On(m[1], index), axis, On(m[2], indexed)));
            else
                Check(Backend, $"Gather {name}", [Random(indexed.Length, 1), indices, Random(byIndex.Length, 2)],
                      (b, m) => b.Gather(On(m[0], indexed), On(m[1], index), axis, On(m[2], byIndex)));
        }
    }

    /// <summary>(name, src, index, dst, axis) of a Gather; index and dst have the same shape.</summary>
    private static IEnumerable<(string, Layout, Layout, Layout, int)> GatherCases()
    {
        yield return ("transposed src and dst", Layout.Permuted([7, 5], 1, 0), Layout.Dense(5, 3), Layout.Permuted([3, 5], 1, 0), 1);
        yield return ("sliced rows, broadcast index", new Layout(2 + 4 * 10, 2, [4, 6], [10, 1]), Layout.Broadcast([3, 6], false, true),
                      new Layout(1 + 3 * 8, 1, [3, 6], [8, 1]), 0);
        yield return ("batch-strided", new Layout(3 * 40, 0, [3, 4, 5], [40, 5, 1]), Layout.Dense(3, 2, 5), new Layout(3 * 12, 0, [3, 2, 5], [12, 5, 1]), 1);
        // Dims 0 and 1 of a [4, 2, ·] slice of [4, 5, 6] do not merge: every operand goes through a dense copy.
        yield return ("sliced middle", new Layout(120, 0, [4, 2, 6], [30, 6, 1]), Layout.Dense(4, 2, 3), new Layout(4 * 5 * 3, 0, [4, 2, 3], [15, 3, 1]), 2);
    }

    // Valid indices for an axis of the given size, as many as the layout's array holds (a broadcast index repeats them).
    private static float[] Indices(Layout layout, int axis) => Integers(layout.Length, layout.Length + axis, 0, axis);

    private static int[] Kept(int[] shape, int axis)
    {
        var kept = (int[])shape.Clone();
        kept[axis] = 1;
        return kept;
    }
}
