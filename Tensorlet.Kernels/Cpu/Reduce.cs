using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// Reductions over the middle axis of an [outer, axis, inner] array whose inner part is dense (or, with inner == 1,
/// whose axis is): outer and axis strides are free, so sliced rows, batch strides and transposes (seen in memory
/// order by <see cref="ReduceOperands"/>) need no copy. With inner == 1 each output is one contiguous row, reduced
/// with vectors along the axis; otherwise a block of outputs is reduced with vectors along inner, reading the axis
/// rows one after another (sums: a strip of <see cref="ColumnSum"/>; extrema: <see cref="Chunk"/> columns). Work is split over
/// independent outputs (rows or column chunks), so the split never changes a result; a lone long row is split
/// into parts whose partial sums are combined in part order.
/// </summary>
internal static class Reduce
{
    /// <summary>Columns an extremum reduces together when inner &gt; 1 (their accumulators stay in L1).</summary>
    public const int Chunk = 512;

    /// <summary>src element [o, j, i] at s.Offset + o·s.Outer + j·s.Axis + i (+ j with inner == 1); dst [o, i] at d.Offset + o·d.Outer + i.</summary>
    public static void Run(ReduceOp op, float[] src, AxisStrides s, int outer, int axis, int inner, float[] dst, AxisStrides d, float scale)
    {
        if (outer == 0 || inner == 0) return;
        switch (op)
        {
            case ReduceOp.Sum: Sum(src, s, outer, axis, inner, dst, d, scale); break;
            case ReduceOp.Max: ReduceExtrema.Run<ReduceExtrema.Larger>(false, src, s, outer, axis, inner, dst, d); break;
            case ReduceOp.Min: ReduceExtrema.Run<ReduceExtrema.Smaller>(false, src, s, outer, axis, inner, dst, d); break;
            case ReduceOp.ArgMax: ReduceExtrema.Run<ReduceExtrema.Larger>(true, src, s, outer, axis, inner, dst, d); break;
            case ReduceOp.ArgMin: ReduceExtrema.Run<ReduceExtrema.Smaller>(true, src, s, outer, axis, inner, dst, d); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown reduce op.");
        }
    }

    /// <summary>
    /// Runs body(first, end) over [0, items) where each item touches <paramref name="perItem"/> elements,
    /// in parallel once each part has enough work.
    /// </summary>
    public static void ForItems(int items, long perItem, Action<int, int> body) =>
        Threads.For(items, (int)Math.Max(1, StridedLoop.MinPerPart / Math.Max(1, perItem)), body);

    internal static ref float At(float[] array, int offset) =>
        ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(array), offset);

    private static void Sum(float[] src, AxisStrides s, int outer, int axis, int inner, float[] dst, AxisStrides d, float scale)
    {
        if (inner == 1)
        {
            if (outer < Threads.Count && Threads.PartsFor(axis, StridedLoop.MinPerPart) > 1)
            {
                for (int o = 0; o < outer; o++) dst[d.Offset + o * d.Outer] = (float)(scale * SplitRowSum(src, s.Offset + o * s.Outer, axis));
                return;
            }
            // Short rows: four at a time (RowSums), where a horizontal sum per row would cost more than its loads.
            bool shortRows = axis <= RowSums.MaxLength;
            ForItems(outer, axis, (lo, hi) =>
            {
                if (shortRows)
                {
                    RowSums.Run(src, s.Offset + lo * s.Outer, s.Outer, axis, hi - lo, dst, d.Offset + lo * d.Outer, d.Outer, scale);
                    return;
                }
                for (int o = lo; o < hi; o++)
                    dst[d.Offset + o * d.Outer] = (float)(scale * BlockedSum.Sum(ref At(src, s.Offset + o * s.Outer), axis));
            });
            return;
        }
        int width = ColumnSum.StripWidth(outer, inner, Threads.Count), strips = (inner + width - 1) / width;
        ForItems(outer * strips, (long)axis * width, (lo, hi) =>
        {
            for (int item = lo; item < hi; item++)
            {
                int o = item / strips, c0 = item % strips * width;
                ColumnSum.Strip(src, s.Offset + o * s.Outer + c0, axis, s.Axis, Math.Min(width, inner - c0),
                                dst, d.Offset + o * d.Outer + c0, scale);
            }
        });
    }

    // One long row: every part sums its own static range, and the partials are added in part order.
    private static double SplitRowSum(float[] src, int offset, int n)
    {
        int parts = Threads.PartsFor(n, StridedLoop.MinPerPart);
        var partial = new double[parts];
        Threads.Run(parts, p =>
        {
            var (s, e) = Threads.Range(n, parts, p);
            partial[p] = BlockedSum.Sum(ref At(src, offset + s), e - s);
        });
        double total = 0;
        foreach (double x in partial) total += x;
        return total;
    }
}
