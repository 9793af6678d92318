namespace Tensorlet.Kernels;

/// <summary>
/// The pooling windows along one axis (rows or columns), the one statement of those rules that every backend uses —
/// the reference and CPU kernels on the host, the ILGPU kernels on the device (hence plain int fields and scalar math
/// only). Output o reads inputs [Start(o), End(o)), clipped to the image, and an average divides its sum by
/// Divisor(o); the 2-D window and divisor are the products of a row axis and a column axis.
/// </summary>
internal struct PoolAxis
{
    public int Size, Out, Kernel, Stride, Pad;
    public int Adaptive, CountIncludePad;

    /// <summary>Strided windows of <paramref name="k"/> with padding <paramref name="p"/> (PyTorch's avg/max pooling).</summary>
    public static PoolAxis Strided(int size, int outSize, int k, int s, int p, bool countIncludePad) => new()
    {
        Size = size, Out = outSize, Kernel = k, Stride = s, Pad = p, CountIncludePad = countIncludePad ? 1 : 0,
    };

    /// <summary>Adaptive bins [⌊o·size/out⌋, ⌈(o+1)·size/out⌉), which overlap when size is not a multiple of out.</summary>
    public static PoolAxis AdaptiveBins(int size, int outSize) => new() { Size = size, Out = outSize, Adaptive = 1 };

    /// <summary>The row and column axes of a pooling geometry.</summary>
    public static (PoolAxis Rows, PoolAxis Cols) Of(in Pool2dGeometry g) =>
        (Strided(g.H, g.OutH, g.KH, g.StrideH, g.PadH, g.CountIncludePad),
         Strided(g.W, g.OutW, g.KW, g.StrideW, g.PadW, g.CountIncludePad));

    public readonly int Start(int o) => Adaptive != 0 ? (int)((long)o * Size / Out) : Max(o * Stride - Pad, 0);

    public readonly int End(int o) =>
        Adaptive != 0 ? (int)(((long)(o + 1) * Size + Out - 1) / Out) : Min(o * Stride - Pad + Kernel, Size);

    /// <summary>
    /// What an average divides by along this axis: the in-image part of the window, or with padding counted the window
    /// with its end still clipped to Size + Pad (a ceil-mode window may overhang even that).
    /// </summary>
    public readonly int Divisor(int o)
    {
        if (Adaptive != 0 || CountIncludePad == 0) return End(o) - Start(o);
        int start = o * Stride - Pad;
        return Min(start + Kernel, Size + Pad) - start;
    }

    /// <summary>1/<see cref="Divisor"/>; the 2-D scale is the product of the row and column ones.</summary>
    public readonly float Scale(int o) => 1f / Divisor(o);

    /// <summary>The first output whose window contains input i.</summary>
    public readonly int FirstOutput(int i)
    {
        if (Adaptive != 0) return (int)((long)i * Out / Size);
        // Start(o) ≤ i + Pad − Kernel + 1 fails for every o below ⌈(i + Pad − Kernel + 1)/Stride⌉.
        return i + Pad < Kernel ? 0 : (i + Pad - Kernel) / Stride + 1;
    }

    /// <summary>One past the last output whose window contains input i.</summary>
    public readonly int EndOutput(int i)
    {
        // Adaptive: End(o) > i ⟺ o ≥ ⌊i·Out/Size⌋ and Start(o) ≤ i ⟺ o < ⌈(i + 1)·Out/Size⌉.
        int end = Adaptive != 0 ? (int)(((long)(i + 1) * Out + Size - 1) / Size) : (i + Pad) / Stride + 1;
        return Min(end, Out);
    }

    /// <summary>
    /// True when <paramref name="index"/> is the flat position row·Size(cols) + column of an element in the window of
    /// output (i, j): the only indices max pooling's forward pass produces. Written so that NaN fails and the int
    /// conversion only sees values already known to lie in the plane.
    /// </summary>
    public static bool Holds(PoolAxis rows, PoolAxis cols, int i, int j, float index)
    {
        int w = cols.Size;
        if (!(index >= 0f && index < (float)rows.Size * w && index == (int)index)) return false;
        int r = (int)index / w, c = (int)index - r * w;
        return r >= rows.Start(i) && r < rows.End(i) && c >= cols.Start(j) && c < cols.End(j);
    }

    private static int Min(int a, int b) => a < b ? a : b;
    private static int Max(int a, int b) => a > b ? a : b;
}
