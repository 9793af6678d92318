namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// Gather and its adjoint ScatterAdd along the middle axis of [outer, axis, inner] arrays, each operand with its own
/// strides (<see cref="AxisStrides"/>); dense operands take the plain loops, any other merged layout a strided twin.
/// Indices are floats holding integers; all of them are checked before any memory is touched, so a bad index throws a
/// clear error instead of a partial result.
/// </summary>
internal static class Indexing
{
    public static void Gather(float[] src, AxisStrides s, int axis, float[] index, AxisStrides x, int k, int outer, int inner,
                              float[] dst, AxisStrides d)
    {
        CheckIndices("Gather", index, x, outer, k, inner, axis);
        int rows = outer * k;
        if (s.IsDense(outer, axis, inner) && x.IsDense(outer, k, inner) && d.IsDense(outer, k, inner))
        {
            int srcOffset = s.Offset, indexOffset = x.Offset, dstOffset = d.Offset;
            Reduce.ForItems(rows, inner, (lo, hi) =>
            {
                for (int r = lo; r < hi; r++)
                {
                    int o = r / k, at = r * inner;
                    for (int i = 0; i < inner; i++)
                        dst[dstOffset + at + i] = src[srcOffset + (o * axis + (int)index[indexOffset + at + i]) * inner + i];
                }
            });
            return;
        }
        Reduce.ForItems(rows, inner, (first, end) =>
        {
            for (int r = first; r < end; r++)
            {
                int o = r / k, j = r % k;
                int from = s.Offset + o * s.Outer, at = x.Offset + o * x.Outer + j * x.Axis, to = d.Offset + o * d.Outer + j * d.Axis;
                for (int i = 0; i < inner; i++)
                    dst[to + i * d.Inner] = src[from + (int)index[at + i * x.Inner] * s.Axis + i * s.Inner];
            }
        });
    }

    // Each outer slice of dst is written by one part only, and within it in index order, so sums are deterministic.
    public static void ScatterAdd(float[] src, AxisStrides s, int k, float[] index, AxisStrides x, int axis, int outer, int inner,
                                  float[] dst, AxisStrides d)
    {
        CheckIndices("ScatterAdd", index, x, outer, k, inner, axis);
        if (s.IsDense(outer, k, inner) && x.IsDense(outer, k, inner) && d.IsDense(outer, axis, inner))
        {
            int srcOffset = s.Offset, indexOffset = x.Offset, dstOffset = d.Offset;
            Reduce.ForItems(outer, (long)k * inner, (lo, hi) =>
            {
                for (int o = lo; o < hi; o++)
                {
                    for (int j = 0; j < k; j++)
                    {
                        int at = (o * k + j) * inner;
                        for (int i = 0; i < inner; i++)
                            dst[dstOffset + (o * axis + (int)index[indexOffset + at + i]) * inner + i] += src[srcOffset + at + i];
                    }
                }
            });
            return;
        }
        Reduce.ForItems(outer, (long)k * inner, (first, end) =>
        {
            for (int o = first; o < end; o++)
            {
                int to = d.Offset + o * d.Outer;
                for (int j = 0; j < k; j++)
                {
                    int from = s.Offset + o * s.Outer + j * s.Axis, at = x.Offset + o * x.Outer + j * x.Axis;
                    for (int i = 0; i < inner; i++)
                        dst[to + (int)index[at + i * x.Inner] * d.Axis + i * d.Inner] += src[from + i * s.Inner];
                }
            }
        });
    }

    // Positions are counted row-major over [outer, k, inner], the index view's own order.
    private static void CheckIndices(string op, float[] index, AxisStrides x, int outer, int k, int inner, int axis)
    {
        long p = 0;
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < k; j++)
                for (int i = 0; i < inner; i++, p++)
                {
                    float v = index[x.Offset + o * x.Outer + j * x.Axis + i * x.Inner];
                    if (!OperationChecks.IsValidIndex(v, axis)) throw OperationChecks.BadIndex(op, v, p, axis);
                }
    }
}
