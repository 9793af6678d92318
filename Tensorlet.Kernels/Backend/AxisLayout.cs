namespace Tensorlet.Kernels;

/// <summary>
/// Where one operand of an operation along an axis keeps its elements once seen as an [outer, axis, inner] array:
/// element [o, j, i] is at <c>Offset + o·Outer + j·Axis + i·Inner</c>.
/// </summary>
internal readonly record struct AxisStrides(int Offset, int Outer, int Axis, int Inner)
{
    /// <summary>The strides of a dense [outer, axis, inner] array at <paramref name="offset"/>.</summary>
    public static AxisStrides Dense(int offset, int axis, int inner) => new(offset, axis * inner, inner, 1);

    /// <summary>True when these strides walk a dense [outer, axis, inner] array (a size-1 part's stride does not matter).</summary>
    public bool IsDense(int outer, int axis, int inner) =>
        (outer <= 1 || Outer == axis * inner) && (axis <= 1 || Axis == inner) && (inner <= 1 || Inner == 1);
}

/// <summary>
/// Merges the operands of an operation along one axis (Reduce, Gather, ScatterAdd) into [outer, axis, inner] arrays:
/// the dims before the axis into one, those after it into another. A group merges when it is evenly strided in every
/// operand — true of dense views and of sliced rows, batch strides and any view whose groups were not cut up — so
/// kernels walk three strides per operand instead of n, and no operand needs a dense copy.
/// </summary>
internal static class AxisLayout
{
    /// <summary>
    /// Merges the dims of <paramref name="views"/> (same rank, same sizes outside <paramref name="axis"/>) around the axis.
    /// Returns false when a group is not evenly strided in some view.
    /// </summary>
    public static bool TryMerge(int axis, ReadOnlySpan<StridedView> views, out int outer, out int inner, Span<AxisStrides> merged)
    {
        Span<int> outerStride = stackalloc int[views.Length];
        Span<int> innerStride = stackalloc int[views.Length];
        inner = 1;
        if (!Group(views, 0, axis, out outer, outerStride) || !Group(views, axis + 1, views[0].Rank, out inner, innerStride)) return false;
        for (int v = 0; v < views.Length; v++)
        {
            var view = views[v];
            merged[v] = new AxisStrides(view.Offset, outerStride[v], view.Strides[axis], innerStride[v]);
        }
        return true;
    }

    // Dims [lo, hi) as one: walking outwards, each dim's stride must be the stride of the group so far times its size.
    private static bool Group(ReadOnlySpan<StridedView> views, int lo, int hi, out int size, Span<int> stride)
    {
        size = 1;
        stride.Clear();
        for (int k = hi - 1; k >= lo; k--)
        {
            int n = views[0].Shape[k];
            if (n == 1) continue;
            for (int v = 0; v < views.Length; v++)
            {
                if (size == 1) stride[v] = views[v].Strides[k];
                else if (views[v].Strides[k] != stride[v] * size) return false;
            }
            size *= n;
        }
        return true;
    }

    /// <summary>The dims of <paramref name="view"/> by decreasing stride (stable): the order its elements lie in memory.</summary>
    public static int[] MemoryOrder(in StridedView view)
    {
        var strides = view.Strides;
        var order = Enumerable.Range(0, view.Rank).ToArray();
        // Insertion sort: stable, and ranks are small.
        for (int a = 1; a < order.Length; a++)
            for (int b = a; b > 0 && strides[order[b - 1]] < strides[order[b]]; b--)
                (order[b - 1], order[b]) = (order[b], order[b - 1]);
        return order;
    }

    /// <summary>The same elements with dims reordered: dim k of the result is dim <paramref name="order"/>[k] of the view.</summary>
    public static StridedView Permute(in StridedView view, int[] order)
    {
        var shape = new int[order.Length];
        var strides = new int[order.Length];
        for (int k = 0; k < order.Length; k++)
        {
            shape[k] = view.Shape[order[k]];
            strides[k] = view.Strides[order[k]];
        }
        return new StridedView(view.Buffer, view.Offset, shape, strides);
    }

    /// <summary>Sizes before, at and after <paramref name="axis"/> of a shape: the [outer, axis, inner] split of a dense array.</summary>
    public static (int Outer, int Axis, int Inner) Split(int[] shape, int axis)
    {
        int outer = 1, inner = 1;
        for (int k = 0; k < axis; k++) outer *= shape[k];
        for (int k = axis + 1; k < shape.Length; k++) inner *= shape[k];
        return (outer, shape[axis], inner);
    }
}
