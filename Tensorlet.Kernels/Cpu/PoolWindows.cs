namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// The windows of one pooling axis: output o reads input rows (or columns) [Start[o], End[o]), already clipped to
/// the image, and an average scales its sum by Scale[o]. Both the windows and the average divisor factor into a
/// row part times a column part, which is what lets the CPU kernels pool rows and columns separately.
/// </summary>
internal sealed class PoolWindows
{
    private PoolWindows(int count)
    {
        Start = new int[count];
        End = new int[count];
        Scale = new float[count];
    }

    public int[] Start { get; }
    public int[] End { get; }
    public float[] Scale { get; }
    public int Count => Start.Length;

    /// <summary>True when there is one window covering the whole axis (global pooling).</summary>
    public bool IsWhole(int size) => Count == 1 && Start[0] == 0 && End[0] == size;

    /// <summary>
    /// Strided windows of <paramref name="k"/> with padding <paramref name="p"/>. The divisor counts the window with
    /// its end clipped to size + p (padding included) or only its in-image part.
    /// </summary>
    public static PoolWindows Strided(int size, int k, int s, int p, int outSize, bool countIncludePad)
    {
        var w = new PoolWindows(outSize);
        for (int o = 0; o < outSize; o++)
        {
            int start = o * s - p, end = start + k;
            w.Start[o] = Math.Max(start, 0);
            w.End[o] = Math.Min(end, size);
            int count = countIncludePad ? Math.Min(end, size + p) - start : w.End[o] - w.Start[o];
            w.Scale[o] = 1f / count;
        }
        return w;
    }

    /// <summary>Adaptive bins [⌊o·size/out⌋, ⌈(o+1)·size/out⌉).</summary>
    public static PoolWindows Adaptive(int size, int outSize)
    {
        var w = new PoolWindows(outSize);
        for (int o = 0; o < outSize; o++)
        {
            w.Start[o] = (int)((long)o * size / outSize);
            w.End[o] = (int)(((long)(o + 1) * size + outSize - 1) / outSize);
            w.Scale[o] = 1f / (w.End[o] - w.Start[o]);
        }
        return w;
    }

    /// <summary>
    /// True when <paramref name="index"/>, a flat position in a plane <paramref name="width"/> wide, lies in the window of
    /// output (<paramref name="i"/>, <paramref name="j"/>): the only indices max pooling's forward pass produces.
    /// </summary>
    public static bool Contains(PoolWindows rows, PoolWindows cols, int i, int j, int width, float index)
    {
        // Written so that NaN fails, and so that the int conversion only sees values already known to be in range.
        if (!(index >= 0f && index < (float)rows.End[i] * width) || index != MathF.Floor(index)) return false;
        int at = (int)index, r = at / width, c = at - r * width;
        return r >= rows.Start[i] && r < rows.End[i] && c >= cols.Start[j] && c < cols.End[j];
    }

    /// <summary>The error for an index <see cref="Contains"/> refused, naming the output and its window.</summary>
    public static ArgumentOutOfRangeException BadMaxIndex(in Pool2dGeometry g, PoolWindows rows, PoolWindows cols, int plane, int i, int j,
                                                          float index) =>
        new("indices", index,
            $"MaxPool2dBackward: index {index} of output ({i}, {j}) in plane {plane} is not a position in that output's window " +
            $"(rows [{rows.Start[i]}, {rows.End[i]}), columns [{cols.Start[j]}, {cols.End[j]}) of a {g.H}×{g.W} plane, index = row·{g.W} + column); " +
            "the forward pass could not have produced it.");

    public static (PoolWindows Rows, PoolWindows Cols) Of(in Pool2dGeometry g) =>
        (Strided(g.H, g.KH, g.StrideH, g.PadH, g.OutH, g.CountIncludePad),
         Strided(g.W, g.KW, g.StrideW, g.PadW, g.OutW, g.CountIncludePad));
}
