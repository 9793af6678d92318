namespace Tensorlet.Kernels.Gpu;

/// <summary>
/// A <see cref="StridedView"/> flattened into a value a kernel can take as an argument (kernels cannot take arrays):
/// up to <see cref="MaxRank"/> sizes and strides, innermost first. <see cref="At"/> turns a row-major element number
/// into a buffer index. Views are merged with <see cref="Coalesce"/> first, so a dense tensor of any rank is rank 1.
/// </summary>
public struct StridedLayout
{
    /// <summary>The most dimensions left after merging; PyTorch's CUDA kernels have a similar cap (25).</summary>
    public const int MaxRank = 6;

    public int Offset;
    public int Size0, Size1, Size2, Size3, Size4, Size5;
    public int Stride0, Stride1, Stride2, Stride3, Stride4, Stride5;

    /// <summary>Buffer index of element <paramref name="linear"/> (row-major over the view's shape).</summary>
    public readonly int At(int linear)
    {
        int r = linear, index = Offset;
        index += r % Size0 * Stride0; r /= Size0;
        index += r % Size1 * Stride1; r /= Size1;
        index += r % Size2 * Stride2; r /= Size2;
        index += r % Size3 * Stride3; r /= Size3;
        index += r % Size4 * Stride4; r /= Size4;
        index += r * Stride5;
        return index;
    }

    /// <summary>
    /// Merges the dimensions of views of one shape where every view is contiguous across them (stride[k] =
    /// stride[k+1]·size[k+1]) and drops size-1 dimensions, then packs each view. Fails with the shape when more than
    /// <see cref="MaxRank"/> dimensions remain.
    /// </summary>
    public static StridedLayout[] Coalesce(string op, params StridedView[] views)
    {
        var shape = views[^1].Shape;
        var sizes = new List<int>();
        var strides = views.Select(_ => new List<int>()).ToArray();
        for (int d = 0; d < shape.Length; d++)
        {
            if (shape[d] == 1) continue;
            bool merge = sizes.Count > 0;
            for (int v = 0; v < views.Length && merge; v++)
                merge = strides[v][^1] == views[v].Strides[d] * shape[d];
            if (merge)
            {
                sizes[^1] *= shape[d];
                for (int v = 0; v < views.Length; v++) strides[v][^1] = views[v].Strides[d];
            }
            else
            {
                sizes.Add(shape[d]);
                for (int v = 0; v < views.Length; v++) strides[v].Add(views[v].Strides[d]);
            }
        }
        if (sizes.Count > MaxRank)
            throw new ArgumentException(
                $"{op}: shape [{string.Join(", ", shape)}] with these strides needs {sizes.Count} dimensions after merging; " +
                $"GPU kernels take at most {MaxRank}. Call Contiguous() on the inputs first.");
        var result = new StridedLayout[views.Length];
        for (int v = 0; v < views.Length; v++) result[v] = Pack(views[v].Offset, sizes, strides[v]);
        return result;
    }

    private static StridedLayout Pack(int offset, List<int> sizes, List<int> strides)
    {
        Span<int> s = stackalloc int[MaxRank], t = stackalloc int[MaxRank];
        s.Fill(1);
        t.Clear();
        for (int i = 0; i < sizes.Count; i++)
        {
            s[i] = sizes[sizes.Count - 1 - i];
            t[i] = strides[sizes.Count - 1 - i];
        }
        return new StridedLayout
        {
            Offset = offset,
            Size0 = s[0], Size1 = s[1], Size2 = s[2], Size3 = s[3], Size4 = s[4], Size5 = s[5],
            Stride0 = t[0], Stride1 = t[1], Stride2 = t[2], Stride3 = t[3], Stride4 = t[4], Stride5 = t[5],
        };
    }
}
