namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// The rows of a CPU view along its last dimension, for row-wise kernels (softmax) on any layout: a row whose elements
/// are adjacent is read and written in place; any other is gathered into a scratch row and scattered back, so no
/// operand is ever copied whole. Row r is the r-th in row-major order of the leading dimensions.
/// </summary>
internal readonly struct StridedRows(float[] data, StridedView view)
{
    /// <summary>Elements per row.</summary>
    public int Cols => view.Shape[^1];

    /// <summary>Number of rows (the product of the leading dimensions; 0 when rows are empty).</summary>
    public int Count => Cols == 0 ? 0 : view.Count / Cols;

    /// <summary>True when rows go through a scratch row (their elements are not adjacent).</summary>
    public bool Gathered => Cols > 1 && view.Strides[^1] != 1;

    private int Start(int row)
    {
        int at = view.Offset;
        for (int d = view.Rank - 2; d >= 0; d--)
        {
            int size = view.Shape[d];
            at += row % size * view.Strides[d];
            row /= size;
        }
        return at;
    }

    /// <summary>Row <paramref name="row"/>'s elements: in place, or gathered into <paramref name="scratch"/> (Cols long).</summary>
    public ReadOnlySpan<float> Read(int row, Span<float> scratch)
    {
        int at = Start(row);
        if (!Gathered) return data.AsSpan(at, Cols);
        int step = view.Strides[^1];
        for (int c = 0; c < scratch.Length; c++) scratch[c] = data[at + c * step];
        return scratch;
    }

    /// <summary>Where to compute row <paramref name="row"/>: in place, or <paramref name="scratch"/> to be <see cref="Store"/>d.</summary>
    public Span<float> Target(int row, Span<float> scratch) => Gathered ? scratch : data.AsSpan(Start(row), Cols);

    /// <summary>Scatters a row computed in scratch back into the view (nothing to do for an in-place row).</summary>
    public void Store(int row, ReadOnlySpan<float> values)
    {
        if (!Gathered) return;
        int at = Start(row), step = view.Strides[^1];
        for (int c = 0; c < values.Length; c++) data[at + c * step] = values[c];
    }
}
