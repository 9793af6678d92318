using System.Buffers;
using System.Runtime.Intrinsics;

namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// Max and average pooling of NCHW planes (each dense, the planes at any strides: <see cref="Planes"/>), separably: a row pass reduces each input row over every column window
/// into an H × OW scratch, then a column pass combines the rows of each row window with Vector256 operations along
/// OW. That costs KH + KW steps per output instead of KH·KW, and the column pass is contiguous. Planes are split
/// over threads; each plane is computed by one thread in a fixed order, so results do not depend on the split.
/// </summary>
internal static class Pooling
{
    private static readonly int Lanes = Vector256<float>.Count;

    /// <summary>Runs body(plane, scratch) over the planes in parallel; scratch holds at least <paramref name="scratchLength"/> floats.</summary>
    private static void ForPlanes(int planes, long workPerPlane, int scratchLength, Action<int, float[]> body) =>
        Reduce.ForItems(planes, workPerPlane, (s, e) =>
        {
            var scratch = ArrayPool<float>.Shared.Rent(Math.Max(scratchLength, 1));
            try
            {
                for (int pl = s; pl < e; pl++) body(pl, scratch);
            }
            finally { ArrayPool<float>.Shared.Return(scratch); }
        });

    // ---- max ----------------------------------------------------------------------------------------------

    public static void MaxForward(in Pool2dGeometry g, Planes x, Planes y, Planes indices)
    {
        var (rows, cols) = PoolWindows.Of(g);
        int h = g.H, w = g.W, oh = g.OutH, ow = g.OutW;
        ForPlanes(g.N * g.C, (long)h * w + (long)oh * ow * g.KH, 2 * h * ow, (pl, scratch) =>
            MaxPoolPlane.Forward(x.Plane(pl, h * w), h, w, rows, cols, y.Plane(pl, oh * ow), indices.Plane(pl, oh * ow),
                                 scratch.AsSpan(0, h * ow), scratch.AsSpan(h * ow, h * ow)));
    }

    /// <remarks>
    /// Every index must be one the forward pass could have produced: a position inside its own output's window.
    /// Anything else (out of the window or the plane, fractional, NaN) throws, naming the output, rather than moving a
    /// gradient somewhere the forward never looked.
    /// </remarks>
    public static void MaxBackward(in Pool2dGeometry g, Planes gradY, Planes indices, Planes gradX)
    {
        int h = g.H, w = g.W, outPlane = g.OutH * g.OutW;
        var (rows, cols) = PoolWindows.Of(g);
        ForPlanes(g.N * g.C, h * w + outPlane, 0, (pl, _) =>
        {
            var idx = indices.Plane(pl, outPlane);
            int bad = MaxPoolPlane.Backward(gradY.Plane(pl, outPlane), idx, h, w, rows, cols, gradX.Plane(pl, h * w));
            if (bad >= 0) throw OperationChecks.BadMaxPoolIndex(idx[bad], pl, bad);
        });
    }

    // ---- average ------------------------------------------------------------------------------------------

    /// <summary>Window means of each plane; <paramref name="rows"/> and <paramref name="cols"/> carry the windows and divisors.</summary>
    public static void AvgForward(int planes, int h, int w, PoolWindows rows, PoolWindows cols, Planes x, Planes y)
    {
        int oh = rows.Count, ow = cols.Count;
        if (rows.IsWhole(h) && cols.IsWhole(w))
        {
            GlobalMean(planes, h * w, (double)rows.Scale[0] * cols.Scale[0], x, y);
            return;
        }
        ForPlanes(planes, (long)h * w + (long)oh * ow * 4, h * ow, (pl, scratch) =>
        {
            var src = x.Plane(pl, h * w);
            var dst = y.Plane(pl, oh * ow);
            var rowSum = scratch.AsSpan(0, h * ow);
            for (int r = 0; r < h; r++)
                for (int j = 0; j < ow; j++)
                {
                    float sum = 0;
                    for (int c = cols.Start[j]; c < cols.End[j]; c++) sum += src[r * w + c];
                    rowSum[r * ow + j] = sum;
                }
            for (int i = 0; i < oh; i++)
            {
                float rowScale = rows.Scale[i];
                int j = 0;
                for (; j + Lanes <= ow; j += Lanes)
                {
                    var sum = Vector256<float>.Zero;
                    for (int r = rows.Start[i]; r < rows.End[i]; r++) sum += Vector256.Create<float>(rowSum.Slice(r * ow + j));
                    (sum * rowScale * Vector256.Create<float>(cols.Scale.AsSpan(j))).CopyTo(dst.Slice(i * ow + j));
                }
                for (; j < ow; j++)
                {
                    float sum = 0;
                    for (int r = rows.Start[i]; r < rows.End[i]; r++) sum += rowSum[r * ow + j];
                    dst[i * ow + j] = sum * rowScale * cols.Scale[j];
                }
            }
        });
    }

    /// <summary>
    /// The adjoint of <see cref="AvgForward"/>, in the opposite order: scale each output gradient by its divisor, add
    /// it to every row of its row window (vectors along OW), then spread each row's values over the column windows.
    /// </summary>
    public static void AvgBackward(int planes, int h, int w, PoolWindows rows, PoolWindows cols, Planes gradY, Planes gradX)
    {
        int oh = rows.Count, ow = cols.Count;
        if (rows.IsWhole(h) && cols.IsWhole(w))
        {
            GlobalMeanBackward(planes, h * w, rows.Scale[0] * cols.Scale[0], gradY, gradX);
            return;
        }
        ForPlanes(planes, (long)h * w + (long)oh * ow * 4, (h + 1) * ow, (pl, scratch) =>
        {
            var gy = gradY.Plane(pl, oh * ow);
            var dst = gradX.Plane(pl, h * w);
            Span<float> perRow = scratch.AsSpan(0, h * ow), scaled = scratch.AsSpan(h * ow, ow);
            perRow.Clear();
            for (int i = 0; i < oh; i++)
            {
                for (int j = 0; j < ow; j++) scaled[j] = gy[i * ow + j] * rows.Scale[i] * cols.Scale[j];
                for (int r = rows.Start[i]; r < rows.End[i]; r++)
                {
                    var target = perRow.Slice(r * ow, ow);
                    int j = 0;
                    for (; j + Lanes <= ow; j += Lanes)
                        (Vector256.Create<float>(target.Slice(j)) + Vector256.Create<float>(scaled.Slice(j))).CopyTo(target.Slice(j));
                    for (; j < ow; j++) target[j] += scaled[j];
                }
            }
            dst.Clear();
            for (int r = 0; r < h; r++)
                for (int j = 0; j < ow; j++)
                {
                    float v = perRow[r * ow + j];
                    for (int c = cols.Start[j]; c < cols.End[j]; c++) dst[r * w + c] += v;
                }
        });
    }

    // Global average pooling has one output per plane and planes of a few dozen floats, so the per-plane cost of the
    // general path (a delegate call, a scratch rent per part) would rival the sum itself: one tight loop per part
    // instead, four planes at a time (RowSums) over each sample's run of channels.
    private static void GlobalMean(int planes, int area, double scale, Planes x, Planes y) =>
        Reduce.ForItems(planes, area, (lo, hi) =>
        {
            Planes src = x, dst = y;
            if (area > RowSums.MaxLength)
            {
                for (int pl = lo; pl < hi; pl++)
                    dst.Data[dst.At(pl)] = (float)(BlockedSum.Sum(ref Reduce.At(src.Data, src.At(pl)), area) * scale);
                return;
            }
            int c = src.Channels;
            // Back-to-back samples on both sides make the whole range one run of rows.
            bool oneRun = src.BatchStride == c * src.ChannelStride && dst.BatchStride == c * dst.ChannelStride;
            for (int pl = lo; pl < hi;)
            {
                int n = pl / c, ch = pl - n * c, run = oneRun ? hi - pl : Math.Min(hi - pl, c - ch);
                RowSums.Run(src.Data, src.At(n, ch), src.ChannelStride, area, run, dst.Data, dst.At(n, ch), dst.ChannelStride, (float)scale);
                pl += run;
            }
        });

    private static void GlobalMeanBackward(int planes, int area, float scale, Planes gradY, Planes gradX) =>
        Reduce.ForItems(planes, area, (lo, hi) =>
        {
            Planes gy = gradY, gx = gradX;
            for (int pl = lo; pl < hi; pl++)
                gx.Data.AsSpan(gx.At(pl), area).Fill(gy.Data[gy.At(pl)] * scale);
        });
}
