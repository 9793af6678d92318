namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// Gather and its adjoint ScatterAdd along the middle axis of contiguous [outer, axis, inner] arrays. Indices
/// are floats holding integers; all of them are checked before any memory is touched, so a bad index throws a
/// clear error instead of a partial result.
/// </summary>
internal static class Indexing
{
    public static void Gather(float[] src, int srcOffset, int outer, int axis, int inner,
                              float[] index, int indexOffset, int k, float[] dst, int dstOffset)
    {
        CheckIndices("Gather", index, indexOffset, outer, k, inner, axis);
        int rows = outer * k;
        Reduce.ForItems(rows, inner, (s, e) =>
        {
            for (int r = s; r < e; r++)
            {
                int o = r / k, at = r * inner;
                for (int i = 0; i < inner; i++)
                    dst[dstOffset + at + i] = src[srcOffset + (o * axis + (int)index[indexOffset + at + i]) * inner + i];
            }
        });
    }

    // Each outer slice of dst is written by one part only, and within it in index order, so sums are deterministic.
    public static void ScatterAdd(float[] src, int srcOffset, int outer, int k, int inner,
                                  float[] index, int indexOffset, int axis, float[] dst, int dstOffset)
    {
        CheckIndices("ScatterAdd", index, indexOffset, outer, k, inner, axis);
        Reduce.ForItems(outer, (long)k * inner, (s, e) =>
        {
            for (int o = s; o < e; o++)
            {
                for (int j = 0; j < k; j++)
                {
                    int at = (o * k + j) * inner;
                    for (int i = 0; i < inner; i++)
                        dst[dstOffset + (o * axis + (int)index[indexOffset + at + i]) * inner + i] += src[srcOffset + at + i];
                }
            }
        });
    }

    private static void CheckIndices(string op, float[] index, int offset, int outer, int k, int inner, int axis)
    {
        int n = outer * k * inner;
        for (int p = 0; p < n; p++)
            if (!OperationChecks.IsValidIndex(index[offset + p], axis)) throw OperationChecks.BadIndex(op, index[offset + p], p, axis);
    }
}
