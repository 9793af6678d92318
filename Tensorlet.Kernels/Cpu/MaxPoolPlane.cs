using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// Max pooling of one dense plane, forward and backward, for <see cref="Pooling"/>. The row pass (each input row's
/// maximum over every column window) compared element by element branches on data — a coin toss on real activations —
/// and ran at 5–6 ns per input element on one Zen 5 thread (24 ms for a 16 MiB batch of activations, 3×3 windows,
/// where one pass over the memory costs well under one). With AVX-512 it runs branch-free instead: a group of 8 or 16
/// outputs whose windows span at most 32 columns loads those columns into two registers and picks each window's t-th
/// column for all of them with one two-register permute.
/// </summary>
internal static unsafe class MaxPoolPlane
{
    private static readonly int Lanes = Vector256<float>.Count;

    /// <summary>
    /// Row-major first maximum, NaN winning: each input row keeps its first maximum (or last NaN) per column window in
    /// <paramref name="rowMax"/> / <paramref name="rowArg"/> (h × ow each), then each output keeps the first row of its
    /// row window that is strictly greater (or NaN) — the element the reference's window-order scan picks.
    /// </summary>
    public static void Forward(ReadOnlySpan<float> src, int h, int w, PoolWindows rows, PoolWindows cols,
                               Span<float> dst, Span<float> idx, Span<float> rowMax, Span<float> rowArg)
    {
        int oh = rows.Count, ow = cols.Count;
        ReadOnlySpan<int> cs = cols.Start, ce = cols.End, rs = rows.Start, re = rows.End;
        int widest = 0;
        for (int j = 0; j < ow; j++) widest = Math.Max(widest, ce[j] - cs[j]);
        bool wide = Avx512F.IsSupported && Vector512.IsHardwareAccelerated;
        for (int r = 0; r < h; r++)
        {
            ReadOnlySpan<float> line = src.Slice(r * w, w);
            Span<float> maxes = rowMax.Slice(r * ow, ow), args = rowArg.Slice(r * ow, ow);
            int j = wide ? RowGroups(line, cs, ce, widest, r * w, maxes, args) : 0;
            RowScalar(line, cs, ce, j, r * w, maxes, args);
        }
        for (int i = 0; i < oh; i++)
        {
            int r0 = rs[i], r1 = re[i], first = r0 * ow, j = 0;
            Span<float> outRow = dst.Slice(i * ow, ow), idxRow = idx.Slice(i * ow, ow);
            for (; j + Lanes <= ow; j += Lanes)
            {
                var best = Vector256.Create<float>(rowMax.Slice(first + j));
                var at = Vector256.Create<float>(rowArg.Slice(first + j));
                for (int r = r0 + 1; r < r1; r++)
                {
                    var v = Vector256.Create<float>(rowMax.Slice(r * ow + j));
                    var wins = Vector256.GreaterThan(v, best) | ~Vector256.Equals(v, v);
                    best = Vector256.ConditionalSelect(wins, v, best);
                    at = Vector256.ConditionalSelect(wins, Vector256.Create<float>(rowArg.Slice(r * ow + j)), at);
                }
                best.CopyTo(outRow.Slice(j));
                at.CopyTo(idxRow.Slice(j));
            }
            for (; j < ow; j++)
            {
                float best = rowMax[first + j], at = rowArg[first + j];
                for (int r = r0 + 1; r < r1; r++)
                {
                    float v = rowMax[r * ow + j];
                    if (v > best || float.IsNaN(v)) (best, at) = (v, rowArg[r * ow + j]);
                }
                outRow[j] = best;
                idxRow[j] = at;
            }
        }
    }

    // The first maximum (or last NaN) of each column window from output j on, element by element.
    private static void RowScalar(ReadOnlySpan<float> line, ReadOnlySpan<int> cs, ReadOnlySpan<int> ce, int j, int lineStart,
                                  Span<float> maxes, Span<float> args)
    {
        for (; j < maxes.Length; j++)
        {
            int c0 = cs[j], c1 = ce[j], at = c0;
            float best = float.NegativeInfinity;
            for (int c = c0; c < c1; c++)
            {
                float v = line[c];
                if (v > best || float.IsNaN(v)) (best, at) = (v, c);
            }
            maxes[j] = best;
            args[j] = lineStart + at;
        }
    }

    /// <summary>
    /// The same as <see cref="RowScalar"/> for groups of 16 (else 8) outputs whose windows span at most 32 columns;
    /// returns the first output it left undone (a group whose windows span more).
    /// </summary>
    private static int RowGroups(ReadOnlySpan<float> line, ReadOnlySpan<int> cs, ReadOnlySpan<int> ce, int widest, int lineStart,
                                 Span<float> maxes, Span<float> args)
    {
        int ow = maxes.Length, w = line.Length, j = 0;
        var lanes = Vector512<int>.Indices;
        fixed (float* row = line, pm = maxes, pa = args)
        fixed (int* pcs = cs, pce = ce)
        {
            while (j < ow)
            {
                int left = ow - j, b = pcs[j];
                int g = left >= 16 && pce[j + 15] - b <= 32 ? 16 : pce[j + Math.Min(8, left) - 1] - b <= 32 ? Math.Min(8, left) : 0;
                if (g == 0) break;
                var inGroup = Vector512.LessThan(lanes, Vector512.Create(g));
                // Lanes past the group read the tables as 0 and are masked out below.
                var start = Avx512F.MaskLoad(pcs + j, inGroup, Vector512<int>.Zero) - Vector512.Create(b);
                var end = Avx512F.MaskLoad(pce + j, inGroup, Vector512<int>.Zero) - Vector512.Create(b);
                var avail = Vector512.Create(w - b);
                var lo = Avx512F.MaskLoad(row + b, Vector512.LessThan(lanes, avail).AsSingle(), Vector512<float>.Zero);
                var hi = Avx512F.MaskLoad(row + b + 16, Vector512.LessThan(lanes + Vector512.Create(16), avail).AsSingle(), Vector512<float>.Zero);
                var best = Vector512.Create(float.NegativeInfinity);
                var at = start;
                for (int t = 0; t < widest; t++)
                {
                    var c = start + Vector512.Create(t);
                    var valid = (Vector512.LessThan(c, end) & inGroup).AsSingle();
                    var v = Avx512F.PermuteVar16x32x2(lo, c & Vector512.Create(31), hi);
                    var wins = valid & (Vector512.GreaterThan(v, best) | ~Vector512.Equals(v, v));
                    best = Vector512.ConditionalSelect(wins, v, best);
                    at = Vector512.ConditionalSelect(wins.AsInt32(), c, at);
                }
                var store = inGroup.AsSingle();
                Avx512F.MaskStore(pm + j, store, best);
                Avx512F.MaskStore(pa + j, store, Vector512.ConvertToSingle(at + Vector512.Create(b + lineStart)));
                j += g;
            }
        }
        return j;
    }

    /// <summary>
    /// Scatters each output gradient onto the input its index names, after checking the index is one the forward pass
    /// could have produced (an integer inside its own output's window); returns the first output (row-major) whose index
    /// is not, or −1 when all are.
    /// </summary>
    public static int Backward(ReadOnlySpan<float> gy, ReadOnlySpan<float> idx, int h, int w, PoolWindows rows, PoolWindows cols, Span<float> dst)
    {
        int oh = rows.Count, ow = cols.Count;
        ReadOnlySpan<int> cs = cols.Start, ce = cols.End, rs = rows.Start, re = rows.End;
        float plane = (float)h * w;
        dst.Clear();
        for (int i = 0; i < oh; i++)
        {
            int r0 = rs[i], r1 = re[i], o = i * ow;
            for (int j = 0; j < ow; j++, o++)
            {
                float at = idx[o];
                // NaN fails the first test; the int conversion only sees values known to lie in the plane.
                if (!(at >= 0f && at < plane && at == (int)at)) return o;
                int index = (int)at, r = index / w, c = index - r * w;
                if (r < r0 || r >= r1 || c < cs[j] || c >= ce[j]) return o;
                dst[index] += gy[o];
            }
        }
        return -1;
    }
}
