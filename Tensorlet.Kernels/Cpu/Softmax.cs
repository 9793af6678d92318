using System.Buffers;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// Row-wise softmax and log-softmax over contiguous [rows, cols] or, on any layout, along a view's last dimension, and
/// their backward. Each row subtracts its max before exponentiating, so logits of 1000 do not overflow; row sums use
/// <see cref="BlockedSum"/>.
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

    private static void ForwardRow(bool log, ReadOnlySpan<float> x, Span<float> y)
    {
        int n = x.Length, w = Vector256<float>.Count;
        float max = float.NegativeInfinity;
        int i = 0;
        if (n >= w)
        {
            var m = Vector256.Create(float.NegativeInfinity);
            for (; i + w <= n; i += w) m = Vector256.Max(m, Vector256.Create(x.Slice(i, w)));
            for (int l = 0; l < w; l++) max = MathF.Max(max, m.GetElement(l));
        }
        for (; i < n; i++) max = MathF.Max(max, x[i]);
        // An all −∞ row has no finite max; shifting by 0 then gives NaN from 0/0 like the definition would.
        if (float.IsNegativeInfinity(max)) max = 0f;

        var vmax = Vector256.Create(max);
        for (i = 0; i + w <= n; i += w) Vector256.Exp(Vector256.Create(x.Slice(i, w)) - vmax).CopyTo(y.Slice(i, w));
        for (; i < n; i++) y[i] = MathF.Exp(x[i] - max);
        double sum = BlockedSum.Sum(ref y[0], n);

        if (log)
        {
            // (x − max) − log Σ, not x − (max + log Σ): the latter rounds log Σ to the ulp of max (6e−5 at 1000).
            float logSum = (float)Math.Log(sum);
            var vlog = Vector256.Create(logSum);
            for (i = 0; i + w <= n; i += w) (Vector256.Create(x.Slice(i, w)) - vmax - vlog).CopyTo(y.Slice(i, w));
            for (; i < n; i++) y[i] = x[i] - max - logSum;
        }
        else
        {
            float inv = (float)(1.0 / sum);
            var vinv = Vector256.Create(inv);
            for (i = 0; i + w <= n; i += w) (Vector256.Create(y.Slice(i, w)) * vinv).CopyTo(y.Slice(i, w));
            for (; i < n; i++) y[i] *= inv;
        }
    }

    // softmax: dx = y ⊙ (g − Σ g⊙y);  log-softmax: dx = g − e^y · Σ g.
    private static void BackwardRow(bool log, ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> dx)
    {
        int n = y.Length, w = Vector256<float>.Count, i;
        if (log)
        {
            float s = (float)BlockedSum.Sum(ref MemoryMarshal.GetReference(g), n);
            var vs = Vector256.Create(s);
            for (i = 0; i + w <= n; i += w)
                (Vector256.Create(g.Slice(i, w)) - Vector256.Exp(Vector256.Create(y.Slice(i, w))) * vs).CopyTo(dx.Slice(i, w));
            for (; i < n; i++) dx[i] = g[i] - MathF.Exp(y[i]) * s;
        }
        else
        {
            float dot = (float)BlockedSum.Dot(ref MemoryMarshal.GetReference(g), ref MemoryMarshal.GetReference(y), n);
            var vdot = Vector256.Create(dot);
            for (i = 0; i + w <= n; i += w)
                (Vector256.Create(y.Slice(i, w)) * (Vector256.Create(g.Slice(i, w)) - vdot)).CopyTo(dx.Slice(i, w));
            for (; i < n; i++) dx[i] = y[i] * (g[i] - dot);
        }
    }
}
