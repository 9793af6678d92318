namespace Tensorlet.Kernels.Reference;

/// <summary>Gather and ScatterAdd along the middle axis of contiguous [outer, axis, inner] arrays.</summary>
public static class Indexing
{
    /// <summary>dst[o, j, i] = src[o, index[o, j, i], i]; dst is [outer, k, inner].</summary>
    public static float[] Gather(float[] src, int outer, int axis, int inner, float[] index, int k)
    {
        var dst = new float[outer * k * inner];
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < k; j++)
                for (int i = 0; i < inner; i++)
                {
                    int at = (o * k + j) * inner + i;
                    dst[at] = src[(o * axis + (int)index[at]) * inner + i];
                }
        return dst;
    }

    /// <summary>dst[o, index[o, j, i], i] += src[o, j, i]; dst is [outer, axis, inner] and is updated in place.</summary>
    public static void ScatterAdd(float[] src, int outer, int k, int inner, float[] index, int axis, float[] dst)
    {
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < k; j++)
                for (int i = 0; i < inner; i++)
                {
                    int at = (o * k + j) * inner + i;
                    dst[(o * axis + (int)index[at]) * inner + i] += src[at];
                }
    }
}
