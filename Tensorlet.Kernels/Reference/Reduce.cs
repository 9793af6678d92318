namespace Tensorlet.Kernels.Reference;

/// <summary>Reductions over the middle axis of a contiguous [outer, axis, inner] array, summed in double.</summary>
public static class Reduce
{
    public static float[] Run(ReduceOp op, float[] src, int outer, int axis, int inner, float scale = 1f)
    {
        var dst = new float[outer * inner];
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                double sum = 0, best = axis > 0 ? src[o * axis * inner + i] : double.NaN; // an empty axis has no extremum (Sum only)
                int bestAt = 0;
                for (int j = 0; j < axis; j++)
                {
                    double x = src[(o * axis + j) * inner + i];
                    sum += x;
                    // NaN wins (the first one), as in PyTorch; ties keep the first index.
                    bool better = op is ReduceOp.Max or ReduceOp.ArgMax ? x > best : x < best;
                    if (better || (double.IsNaN(x) && !double.IsNaN(best)))
                    {
                        best = x;
                        bestAt = j;
                    }
                }
                dst[o * inner + i] = op switch
                {
                    ReduceOp.Sum => (float)(sum * scale),
                    ReduceOp.Max or ReduceOp.Min => (float)best,
                    _ => bestAt,
                };
            }
        }
        return dst;
    }
}
