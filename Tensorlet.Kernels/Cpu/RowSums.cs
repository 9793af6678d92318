using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// Sums of many short rows: a global average pooling's H×W planes, a mean over a short last axis. Each row goes into
/// two Vector256 accumulators folded to one Vector128 (four partial sums); four rows' partials are then added across
/// lanes together by two rounds of horizontal adds, so one vector multiply and store finish four rows. Summing each row
/// on its own with <see cref="BlockedSum"/> — a loop set-up, a horizontal sum and two double conversions per row — cost
/// about 26 cycles a 64-float plane, a third of the speed the L3 cache delivers.
/// <para>
/// A row's result depends only on its length: ((p₀ + p₁) + (p₂ + p₃)) + tail, whether it is finished in a group of four
/// or alone, so results do not change with the thread split. Rows are at most <see cref="MaxLength"/> floats, so each of
/// the 16 lanes adds at most 64 terms before the final fold — about the accuracy of one of BlockedSum's blocks.
/// </para>
/// </summary>
internal static class RowSums
{
    /// <summary>The longest row this kernel sums; longer rows go through <see cref="BlockedSum"/>.</summary>
    public const int MaxLength = 1024;

    /// <summary>
    /// dst[dstOffset + r·dstStride] = scale · Σᵢ src[srcOffset + r·srcStride + i] for rows r &lt; <paramref name="count"/>
    /// of <paramref name="length"/> (≤ <see cref="MaxLength"/>) contiguous floats each.
    /// </summary>
    public static void Run(float[] src, int srcOffset, int srcStride, int length, int count,
                           float[] dst, int dstOffset, int dstStride, float scale)
    {
        if (count <= 0) return;
        if ((uint)length > MaxLength)
            throw new ArgumentOutOfRangeException(nameof(length), length, $"RowSums: rows are at most {MaxLength} floats.");
        // The loops below read through refs; bound the whole range once instead of per element. Strides may be negative
        // (a block operand walked backwards); an empty row reads nothing, wherever it is said to start.
        if (length > 0 && !Within(srcOffset, srcStride, count, length, src.Length))
            throw new ArgumentOutOfRangeException(nameof(src), $"RowSums: {count} rows of {length} at {srcOffset} + r·{srcStride} overrun {src.Length} floats.");
        if (!Within(dstOffset, dstStride, count, 1, dst.Length))
            throw new ArgumentOutOfRangeException(nameof(dst), $"RowSums: {count} results at {dstOffset} + r·{dstStride} overrun {dst.Length} floats.");

        ref float s = ref Reduce.At(src, srcOffset);
        ref float d = ref Reduce.At(dst, dstOffset);
        var vscale = Vector128.Create(scale);
        bool tails = (length & 3) != 0;
        int r = 0;
        for (; r + 4 <= count; r += 4)
        {
            var p0 = Partial(ref Unsafe.Add(ref s, (nint)r * srcStride), length, out float t0);
            var p1 = Partial(ref Unsafe.Add(ref s, (nint)(r + 1) * srcStride), length, out float t1);
            var p2 = Partial(ref Unsafe.Add(ref s, (nint)(r + 2) * srcStride), length, out float t2);
            var p3 = Partial(ref Unsafe.Add(ref s, (nint)(r + 3) * srcStride), length, out float t3);
            var sums = AcrossLanes(p0, p1, p2, p3);
            if (tails) sums += Vector128.Create(t0, t1, t2, t3);
            sums *= vscale;
            if (dstStride == 1) sums.StoreUnsafe(ref d, (nuint)r);
            else
                for (int k = 0; k < 4; k++) Unsafe.Add(ref d, (nint)(r + k) * dstStride) = sums.GetElement(k);
        }
        for (; r < count; r++)
        {
            var p = Partial(ref Unsafe.Add(ref s, (nint)r * srcStride), length, out float t);
            float sum = (p.GetElement(0) + p.GetElement(1)) + (p.GetElement(2) + p.GetElement(3));
            if (tails) sum += t;
            Unsafe.Add(ref d, (nint)r * dstStride) = sum * scale;
        }
    }

    // Whether count runs of extent floats at offset + r·stride (any sign) all lie in [0, size).
    private static bool Within(int offset, int stride, int count, int extent, int size)
    {
        long last = offset + (long)(count - 1) * stride;
        return Math.Min(offset, last) >= 0 && Math.Max(offset, last) + extent <= size;
    }

    // Lane k of the result is ((p_k[0] + p_k[1]) + (p_k[2] + p_k[3])), the order the single-row loop above uses.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> AcrossLanes(Vector128<float> p0, Vector128<float> p1, Vector128<float> p2, Vector128<float> p3)
    {
        if (Sse3.IsSupported) return Sse3.HorizontalAdd(Sse3.HorizontalAdd(p0, p1), Sse3.HorizontalAdd(p2, p3));
        static float Sum(Vector128<float> p) => (p.GetElement(0) + p.GetElement(1)) + (p.GetElement(2) + p.GetElement(3));
        return Vector128.Create(Sum(p0), Sum(p1), Sum(p2), Sum(p3));
    }

    // Four partial sums of one row (its length rounded down to a multiple of 4) and the sum of the rest.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Partial(ref float row, int length, out float tail)
    {
        nuint i = 0, n = (nuint)length;
        var a0 = Vector256<float>.Zero;
        var a1 = Vector256<float>.Zero;
        for (; i + 16 <= n; i += 16)
        {
            a0 += Vector256.LoadUnsafe(ref row, i);
            a1 += Vector256.LoadUnsafe(ref row, i + 8);
        }
        if (i + 8 <= n)
        {
            a0 += Vector256.LoadUnsafe(ref row, i);
            i += 8;
        }
        var a = a0 + a1;
        var q = a.GetLower() + a.GetUpper();
        if (i + 4 <= n)
        {
            q += Vector128.LoadUnsafe(ref row, i);
            i += 4;
        }
        float t = 0;
        for (; i < n; i++) t += Unsafe.Add(ref row, i);
        tail = t;
        return q;
    }
}
