using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// Row-wise softmax and log-softmax over contiguous [rows, cols], and their backward. Each row subtracts its
/// max before exponentiating, so logits of 1000 do not overflow; row sums use <see cref="BlockedSum"/>.
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
