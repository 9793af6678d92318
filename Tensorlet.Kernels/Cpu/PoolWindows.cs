namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// The windows of one pooling axis as tables for the CPU kernels' inner loops: output o reads input rows (or columns)
/// [Start[o], End[o]) and an average scales its sum by Scale[o] — <see cref="PoolAxis"/>'s rules, evaluated once per
/// call. Both the windows and the average divisor factor into a row part times a column part, which is what lets the
/// CPU kernels pool rows and columns separately.
/// </summary>
internal sealed class PoolWindows
{
    private PoolWindows(PoolAxis axis)
    {
        Axis = axis;
        Start = new int[axis.Out];
        End = new int[axis.Out];
        Scale = new float[axis.Out];
        for (int o = 0; o < axis.Out; o++)
        {
            Start[o] = axis.Start(o);
            End[o] = axis.End(o);
            Scale[o] = axis.Scale(o);
        }
    }

    /// <summary>The rules the tables were built from.</summary>
    public PoolAxis Axis { get; }

    public int[] Start { get; }
    public int[] End { get; }
    public float[] Scale { get; }
    public int Count => Start.Length;

    /// <summary>True when there is one window covering the whole axis (global pooling).</summary>
    public bool IsWhole(int size) => Count == 1 && Start[0] == 0 && End[0] == size;

    /// <summary>Adaptive bins [⌊o·size/out⌋, ⌈(o+1)·size/out⌉).</summary>
    public static PoolWindows Adaptive(int size, int outSize) => new(PoolAxis.AdaptiveBins(size, outSize));

    public static (PoolWindows Rows, PoolWindows Cols) Of(in Pool2dGeometry g)
    {
        var (rows, cols) = PoolAxis.Of(g);
        return (new PoolWindows(rows), new PoolWindows(cols));
    }
}
