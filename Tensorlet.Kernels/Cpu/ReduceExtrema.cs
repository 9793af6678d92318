using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Tensorlet.Kernels.Cpu;

/// <summary>Which of two values a Max- or Min-style reduction keeps. NaN always wins (it propagates, as in PyTorch).</summary>
internal interface IExtremum
{
    static abstract float Pick(float a, float b);
    static abstract Vector256<float> Pick(Vector256<float> a, Vector256<float> b);
    /// <summary>Lanes where v replaces best: strictly better, or the first NaN; ties keep the earlier index.</summary>
    static abstract Vector256<float> Replaces(Vector256<float> v, Vector256<float> best);
}

/// <summary>Max, Min, ArgMax and ArgMin over the middle axis of [outer, axis, inner] (strides as in <see cref="Reduce"/>).</summary>
internal static class ReduceExtrema
{
    public struct Larger : IExtremum
    {
        public static float Pick(float a, float b) => MathF.Max(a, b);
        public static Vector256<float> Pick(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);
        public static Vector256<float> Replaces(Vector256<float> v, Vector256<float> best) =>
            Vector256.GreaterThan(v, best) | FirstNaN(v, best);
    }

    public struct Smaller : IExtremum
    {
        public static float Pick(float a, float b) => MathF.Min(a, b);
        public static Vector256<float> Pick(Vector256<float> a, Vector256<float> b) => Vector256.Min(a, b);
        public static Vector256<float> Replaces(Vector256<float> v, Vector256<float> best) =>
            Vector256.LessThan(v, best) | FirstNaN(v, best);
    }

    private static Vector256<float> FirstNaN(Vector256<float> v, Vector256<float> best) =>
        ~Vector256.Equals(v, v) & Vector256.Equals(best, best);

    public static void Run<TPick>(bool arg, float[] src, AxisStrides s, int outer, int axis, int inner, float[] dst, AxisStrides d)
        where TPick : IExtremum
    {
        if (inner == 1)
        {
            Reduce.ForItems(outer, axis, (lo, hi) =>
            {
                for (int o = lo; o < hi; o++)
                {
                    ref float row = ref Reduce.At(src, s.Offset + o * s.Outer);
                    float best = RowExtremum<TPick>(ref row, axis);
                    dst[d.Offset + o * d.Outer] = arg ? FirstIndexOf(ref row, axis, best) : best;
                }
            });
            return;
        }
        int chunks = (inner + Reduce.Chunk - 1) / Reduce.Chunk;
        Reduce.ForItems(outer * chunks, (long)axis * Math.Min(inner, Reduce.Chunk), (lo, hi) =>
        {
            for (int item = lo; item < hi; item++)
            {
                int o = item / chunks, c0 = item % chunks * Reduce.Chunk;
                Columns<TPick>(arg, src, s.Offset + o * s.Outer + c0, axis, s.Axis, Math.Min(Reduce.Chunk, inner - c0),
                               dst, d.Offset + o * d.Outer + c0);
            }
        });
    }

    private static float RowExtremum<TPick>(ref float x, int n) where TPick : IExtremum
    {
        nuint i = 0, w = (nuint)Vector256<float>.Count, len = (nuint)n;
        float best = x;
        if (len >= 4 * w)
        {
            var m0 = Vector256.LoadUnsafe(ref x, 0);
            var m1 = m0;
            var m2 = m0;
            var m3 = m0;
            for (; i + 4 * w <= len; i += 4 * w)
            {
                m0 = TPick.Pick(m0, Vector256.LoadUnsafe(ref x, i));
                m1 = TPick.Pick(m1, Vector256.LoadUnsafe(ref x, i + w));
                m2 = TPick.Pick(m2, Vector256.LoadUnsafe(ref x, i + 2 * w));
                m3 = TPick.Pick(m3, Vector256.LoadUnsafe(ref x, i + 3 * w));
            }
            var m = TPick.Pick(TPick.Pick(m0, m1), TPick.Pick(m2, m3));
            for (int l = 0; l < Vector256<float>.Count; l++) best = TPick.Pick(best, m.GetElement(l));
        }
        for (; i < len; i++) best = TPick.Pick(best, Unsafe.Add(ref x, i));
        return best;
    }

    // Second pass of an arg-reduction: the first element equal to the extremum, or the first NaN when it is NaN.
    private static float FirstIndexOf(ref float x, int n, float value)
    {
        nuint i = 0, w = (nuint)Vector256<float>.Count, len = (nuint)n;
        var target = Vector256.Create(value);
        for (; i + w <= len; i += w)
        {
            var v = Vector256.LoadUnsafe(ref x, i);
            uint hits = (Vector256.Equals(v, target) | ~Vector256.Equals(v, v)).ExtractMostSignificantBits();
            if (hits != 0) return (float)(i + (nuint)uint.TrailingZeroCount(hits));
        }
        for (; i < len; i++)
        {
            float v = Unsafe.Add(ref x, i);
            if (v == value || float.IsNaN(v)) return i;
        }
        return 0;
    }

    private static void Columns<TPick>(bool arg, float[] src, int offset, int axis, int rowStride, int width, float[] dst, int dstOffset)
        where TPick : IExtremum
    {
        Span<float> best = stackalloc float[width];
        Span<float> index = stackalloc float[width];
        src.AsSpan(offset, width).CopyTo(best);
        index.Clear();
        ref float b = ref MemoryMarshal.GetReference(best);
        ref float ix = ref MemoryMarshal.GetReference(index);
        int w = Vector256<float>.Count;
        for (int j = 1; j < axis; j++)
        {
            ref float row = ref Reduce.At(src, offset + j * rowStride);
            var jv = Vector256.Create((float)j);
            int c = 0;
            for (; c + w <= width; c += w)
            {
                var v = Vector256.LoadUnsafe(ref row, (nuint)c);
                var cur = Vector256.LoadUnsafe(ref b, (nuint)c);
                var take = TPick.Replaces(v, cur);
                Vector256.ConditionalSelect(take, v, cur).StoreUnsafe(ref b, (nuint)c);
                Vector256.ConditionalSelect(take, jv, Vector256.LoadUnsafe(ref ix, (nuint)c)).StoreUnsafe(ref ix, (nuint)c);
            }
            for (; c < width; c++)
            {
                float v = Unsafe.Add(ref row, c), cur = Unsafe.Add(ref b, c);
                if (TPick.Pick(v, cur) != cur && !float.IsNaN(cur))
                {
                    Unsafe.Add(ref b, c) = v;
                    Unsafe.Add(ref ix, c) = j;
                }
            }
        }
        (arg ? index : best).CopyTo(dst.AsSpan(dstOffset, width));
    }
}
