using System.Buffers;
using System.Runtime.InteropServices;

namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// Row-wise softmax and log-softmax over contiguous [rows, cols] or, on any layout, along a view's last dimension, and
/// their backward (each row: <see cref="SoftmaxRows"/>). Each row subtracts its max before exponentiating, so logits of
/// 1000 do not overflow.
/// Rows are independent, so they are split across threads without changing any result.
/// </summary>
internal static class Softmax
{
    public static void Forward(bool log, float[] src, int srcOffset, int rows, int cols, float[] dst, int dstOffset)
    {
        if (cols == 0) return;
        Reduce.ForItems(rows, cols, (s, e) =>
        {
            for (int r = s; r < e; r++) ForwardRow(log, src.AsSpan(srcOffset + r * cols, cols), dst.AsSpan(dstOffset + r * cols, cols));
        });
    }

    public static void Backward(bool log, float[] y, int yOffset, float[] grad, int gradOffset, int rows, int cols, float[] dst, int dstOffset)
    {
        if (cols == 0) return;
        Reduce.ForItems(rows, cols, (s, e) =>
        {
            for (int r = s; r < e; r++)
                BackwardRow(log, y.AsSpan(yOffset + r * cols, cols), grad.AsSpan(gradOffset + r * cols, cols), dst.AsSpan(dstOffset + r * cols, cols));
        });
    }

    /// <summary>Any layout (see <see cref="StridedRows"/>): rows are split across threads as in the dense form.</summary>
    public static void Forward(bool log, StridedRows src, StridedRows dst)
    {
        int cols = dst.Cols;
        if (cols == 0) return;
        Reduce.ForItems(dst.Count, cols, (s, e) =>
        {
            float[] scratch = ArrayPool<float>.Shared.Rent(2 * cols);
            Span<float> inRow = scratch.AsSpan(0, cols), outRow = scratch.AsSpan(cols, cols);
            for (int r = s; r < e; r++)
            {
                var y = dst.Target(r, outRow);
                ForwardRow(log, src.Read(r, inRow), y);
                dst.Store(r, y);
            }
            ArrayPool<float>.Shared.Return(scratch);
        });
    }

    /// <summary>Any layout (see <see cref="StridedRows"/>).</summary>
    public static void Backward(bool log, StridedRows y, StridedRows grad, StridedRows dst)
    {
        int cols = dst.Cols;
        if (cols == 0) return;
        Reduce.ForItems(dst.Count, cols, (s, e) =>
        {
            float[] scratch = ArrayPool<float>.Shared.Rent(3 * cols);
            Span<float> yRow = scratch.AsSpan(0, cols), gRow = scratch.AsSpan(cols, cols), dxRow = scratch.AsSpan(2 * cols, cols);
            for (int r = s; r < e; r++)
            {
                var dx = dst.Target(r, dxRow);
                BackwardRow(log, y.Read(r, yRow), grad.Read(r, gRow), dx);
                dst.Store(r, dx);
            }
            ArrayPool<float>.Shared.Return(scratch);
        });
    }

    private static void ForwardRow(bool log, ReadOnlySpan<float> x, Span<float> y) =>
        SoftmaxRows.Forward(log, ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(y), x.Length);

    private static void BackwardRow(bool log, ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> dx)
    {
        ref float yr = ref MemoryMarshal.GetReference(y), gr = ref MemoryMarshal.GetReference(g), dr = ref MemoryMarshal.GetReference(dx);
        if (log) SoftmaxRows.LogBackward(ref yr, ref gr, ref dr, y.Length);
        else SoftmaxRows.Backward(ref yr, ref gr, ref dr, y.Length);
    }
}
