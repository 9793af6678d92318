using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// Column sums of a strip of an [axis, inner] block whose rows are dense: dst[c] = scale·Σ_j src[j·rowStride + c].
/// Rows are streamed in memory order into a strip of float accumulators (so each row is one long contiguous read, not
/// one short read per column chunk), four rows per pass over the accumulators, which keeps each accumulator in a
/// register across those four adds. Every column adds its rows one after another in float, in blocks of
/// <see cref="Block"/> rows whose totals go into a double: a float error of a 128-term sum at most (a row sum's
/// <see cref="BlockedSum"/> lanes add 32 terms), for a flush costing under 1% of the adds. The order per column is
/// fixed by axis alone, so neither the strip width nor the thread split changes a bit.
/// </summary>
internal static class ColumnSum
{
    /// <summary>Widest strip: its float and double accumulators (24 KB) stay in L1 beside the rows being read.</summary>
    public const int MaxStrip = 2048;

    /// <summary>Rows added in float before the block's totals go into the double accumulators.</summary>
    public const int Block = 128;

    /// <summary>
    /// The strip width for <paramref name="outer"/> blocks of <paramref name="inner"/> columns: as wide as fits, but
    /// narrow enough that a single block still gives every thread a strip.
    /// </summary>
    public static int StripWidth(int outer, int inner, int threads)
    {
        int width = Math.Min(inner, MaxStrip);
        if (outer < threads)
        {
            int perThread = (inner + threads / outer - 1) / (threads / outer);
            width = Math.Min(width, Math.Max(64, (perThread + 15) & ~15));
        }
        return width;
    }

    /// <summary>Sums <paramref name="width"/> columns (at most <see cref="MaxStrip"/>) of <paramref name="axis"/> rows.</summary>
    public static void Strip(float[] src, int offset, int axis, int rowStride, int width, float[] dst, int dstOffset, float scale)
    {
        Span<float> block = stackalloc float[width];
        Span<double> total = stackalloc double[width];
        block.Clear();
        total.Clear();
        ref float b = ref MemoryMarshal.GetReference(block);
        ref double t = ref MemoryMarshal.GetReference(total);
        for (int j0 = 0; j0 < axis; j0 += Block)
        {
            int j1 = Math.Min(axis, j0 + Block), j = j0;
            for (; j + 4 <= j1; j += 4)
            {
                ref float r0 = ref Reduce.At(src, offset + j * rowStride);
                AddFour(ref b, ref r0, ref Unsafe.Add(ref r0, rowStride), ref Unsafe.Add(ref r0, 2 * rowStride),
                        ref Unsafe.Add(ref r0, 3 * rowStride), width);
            }
            for (; j < j1; j++) AddOne(ref b, ref Reduce.At(src, offset + j * rowStride), width);
            Flush(ref b, ref t, width);
        }
        for (int c = 0; c < width; c++) dst[dstOffset + c] = (float)(scale * total[c]);
    }

    // t[c] += b[c], b[c] = 0: the block's totals into the doubles, and a fresh block.
    private static void Flush(ref float b, ref double t, int width)
    {
        nuint c = 0, n = (nuint)width, w = (nuint)Vector256<float>.Count;
        for (; c + w <= n; c += w)
        {
            var (lo, hi) = Vector256.Widen(Vector256.LoadUnsafe(ref b, c));
            (Vector256.LoadUnsafe(ref t, c) + lo).StoreUnsafe(ref t, c);
            (Vector256.LoadUnsafe(ref t, c + w / 2) + hi).StoreUnsafe(ref t, c + w / 2);
            Vector256<float>.Zero.StoreUnsafe(ref b, c);
        }
        for (; c < n; c++)
        {
            Unsafe.Add(ref t, c) += Unsafe.Add(ref b, c);
            Unsafe.Add(ref b, c) = 0f;
        }
    }

    // b[c] = (((b[c] + r0[c]) + r1[c]) + r2[c]) + r3[c]: the same order as four single-row passes.
    private static void AddFour(ref float b, ref float r0, ref float r1, ref float r2, ref float r3, int width)
    {
        nuint c = 0, n = (nuint)width;
        if (Vector512.IsHardwareAccelerated)
        {
            for (nuint w = (nuint)Vector512<float>.Count; c + w <= n; c += w)
            {
                var acc = Vector512.LoadUnsafe(ref b, c) + Vector512.LoadUnsafe(ref r0, c);
                acc += Vector512.LoadUnsafe(ref r1, c);
                acc += Vector512.LoadUnsafe(ref r2, c);
                (acc + Vector512.LoadUnsafe(ref r3, c)).StoreUnsafe(ref b, c);
            }
        }
        for (nuint w = (nuint)Vector256<float>.Count; c + w <= n; c += w)
        {
            var acc = Vector256.LoadUnsafe(ref b, c) + Vector256.LoadUnsafe(ref r0, c);
            acc += Vector256.LoadUnsafe(ref r1, c);
            acc += Vector256.LoadUnsafe(ref r2, c);
            (acc + Vector256.LoadUnsafe(ref r3, c)).StoreUnsafe(ref b, c);
        }
        for (; c < n; c++)
            Unsafe.Add(ref b, c) = Unsafe.Add(ref b, c) + Unsafe.Add(ref r0, c) + Unsafe.Add(ref r1, c) + Unsafe.Add(ref r2, c) + Unsafe.Add(ref r3, c);
    }

    private static void AddOne(ref float b, ref float row, int width)
    {
        nuint c = 0, n = (nuint)width;
        if (Vector512.IsHardwareAccelerated)
            for (nuint w = (nuint)Vector512<float>.Count; c + w <= n; c += w)
                (Vector512.LoadUnsafe(ref b, c) + Vector512.LoadUnsafe(ref row, c)).StoreUnsafe(ref b, c);
        for (nuint w = (nuint)Vector256<float>.Count; c + w <= n; c += w)
            (Vector256.LoadUnsafe(ref b, c) + Vector256.LoadUnsafe(ref row, c)).StoreUnsafe(ref b, c);
        for (; c < n; c++) Unsafe.Add(ref b, c) += Unsafe.Add(ref row, c);
    }
}
