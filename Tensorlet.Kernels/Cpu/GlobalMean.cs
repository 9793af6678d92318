using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// Global average pooling: one mean per plane. The planes are small (64 floats for an 8×8 map), so what a plane costs
/// besides its loads — a call, a horizontal sum of the vector accumulator, a conversion — rivals the additions. With
/// AVX, <see cref="Group"/> planes are therefore summed side by side: one Vector256 accumulator per plane (eight
/// independent add chains), then the eight accumulators are reduced together by a tree of horizontal adds into one
/// vector holding the eight plane sums. Every plane's arithmetic is its own lane and the same wherever its group
/// starts (a part's last, short group repeats its last plane in the unused slots), so thread splits never change a bit.
/// </summary>
internal static class GlobalMean
{
    /// <summary>Planes summed side by side.</summary>
    public const int Group = 8;

    private static readonly int Lanes = Vector256<float>.Count;

    /// <summary>y[p] = scale · Σ x[p] over each plane's <paramref name="area"/> floats.</summary>
    public static void Forward(int planes, int area, double scale, Planes x, Planes y)
    {
        // A plane longer than a blocked-sum block keeps the blocked sum's accuracy (float lanes within 1024 elements).
        if (!Avx.IsSupported || area > BlockedSum.Block)
        {
            Reduce.ForItems(planes, area, (lo, hi) =>
            {
                Planes src = x, dst = y;
                for (int pl = lo; pl < hi; pl++)
                    dst.Data[dst.At(pl)] = (float)(BlockedSum.Sum(ref Reduce.At(src.Data, src.At(pl)), area) * scale);
            });
            return;
        }
        Reduce.ForItems(planes, area, (lo, hi) =>
        {
            Span<float> sums = stackalloc float[Group];
            for (int first = lo; first < hi; first += Group)
            {
                SumGroup(x, first, hi - 1, area, sums);
                for (int k = 0; k < Group && first + k < hi; k++)
                    y.Data[y.At(first + k)] = (float)(sums[k] * scale);
            }
        });
    }

    /// <summary>dx[p][i] = scale · g[p] for every element of each plane.</summary>
    public static void Backward(int planes, int area, float scale, Planes gradY, Planes gradX) =>
        Reduce.ForItems(planes, area, (lo, hi) =>
        {
            Planes gy = gradY, gx = gradX;
            for (int pl = lo; pl < hi; pl++)
            {
                ref float dst = ref Reduce.At(gx.Data, gx.At(pl));
                float v = gy.Data[gy.At(pl)] * scale;
                var vv = Vector256.Create(v);
                nuint i = 0, n = (nuint)area;
                for (; i + (nuint)Lanes <= n; i += (nuint)Lanes) vv.StoreUnsafe(ref dst, i);
                for (; i < n; i++) Unsafe.Add(ref dst, i) = v;
            }
        });

    // Sums of planes first .. first + 7 into sums (slots past last repeat plane last).
    private static void SumGroup(Planes x, int first, int last, int area, Span<float> sums)
    {
        ref float p0 = ref Reduce.At(x.Data, x.At(first));
        ref float p1 = ref Reduce.At(x.Data, x.At(Math.Min(first + 1, last)));
        ref float p2 = ref Reduce.At(x.Data, x.At(Math.Min(first + 2, last)));
        ref float p3 = ref Reduce.At(x.Data, x.At(Math.Min(first + 3, last)));
        ref float p4 = ref Reduce.At(x.Data, x.At(Math.Min(first + 4, last)));
        ref float p5 = ref Reduce.At(x.Data, x.At(Math.Min(first + 5, last)));
        ref float p6 = ref Reduce.At(x.Data, x.At(Math.Min(first + 6, last)));
        ref float p7 = ref Reduce.At(x.Data, x.At(Math.Min(first + 7, last)));
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        nuint i = 0, n = (nuint)area, w = (nuint)Lanes;
        for (; i + w <= n; i += w)
        {
            a0 += Vector256.LoadUnsafe(ref p0, i);
            a1 += Vector256.LoadUnsafe(ref p1, i);
            a2 += Vector256.LoadUnsafe(ref p2, i);
            a3 += Vector256.LoadUnsafe(ref p3, i);
            a4 += Vector256.LoadUnsafe(ref p4, i);
            a5 += Vector256.LoadUnsafe(ref p5, i);
            a6 += Vector256.LoadUnsafe(ref p6, i);
            a7 += Vector256.LoadUnsafe(ref p7, i);
        }
        // hadd(a, b) = [a0+a1, a2+a3, b0+b1, b2+b3 | a4+a5, a6+a7, b4+b5, b6+b7]: two levels leave each 128-bit half
        // with the half-sums of four planes; the cross-half add finishes all eight at once.
        var q0123 = Avx.HorizontalAdd(Avx.HorizontalAdd(a0, a1), Avx.HorizontalAdd(a2, a3));
        var q4567 = Avx.HorizontalAdd(Avx.HorizontalAdd(a4, a5), Avx.HorizontalAdd(a6, a7));
        var total = Avx.Permute2x128(q0123, q4567, 0x20) + Avx.Permute2x128(q0123, q4567, 0x31);
        total.CopyTo(sums);
        if (i == n) return;
        sums[0] += Tail(ref p0, i, n);
        sums[1] += Tail(ref p1, i, n);
        sums[2] += Tail(ref p2, i, n);
        sums[3] += Tail(ref p3, i, n);
        sums[4] += Tail(ref p4, i, n);
        sums[5] += Tail(ref p5, i, n);
        sums[6] += Tail(ref p6, i, n);
        sums[7] += Tail(ref p7, i, n);
    }

    private static float Tail(ref float p, nuint from, nuint n)
    {
        float s = 0;
        for (nuint i = from; i < n; i++) s += Unsafe.Add(ref p, i);
        return s;
    }
}
