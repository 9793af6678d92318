using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// One contiguous row of softmax or log-softmax and its backward, in the fewest passes: the max; then e^(x − max)
/// summed as it is computed (and stored only for softmax: log-softmax needs the sum alone); then the scaling or the
/// shift. Exponentials come from <see cref="VectorMath.ExpUpTo88(Vector512{float})"/> (x − max ≤ 0 always fits it; a
/// backward's y above its range falls back to the runtime's exp). Each pass runs on Vector512 where the CPU has it at full width, then Vector256, then a scalar tail. The
/// exponentials' sum adds up to <see cref="Block"/> elements in vector lanes and each block's total in a double, as
/// <see cref="BlockedSum"/> does, so a 100k-wide row sums as accurately as a short one.
/// </summary>
internal static class SoftmaxRows
{
    private const int Block = 1024;

    public static void Forward(bool log, ref float x, ref float y, int n)
    {
        float max = Max(ref x, n);
        // An all −∞ row has no finite max; shifting by 0 then gives NaN from 0/0 like the definition would.
        if (float.IsNegativeInfinity(max)) max = 0f;
        double sum = ExpSum(ref x, ref y, n, max, store: !log);
        // Log: (x − max) − log Σ, not x − (max + log Σ): the latter rounds log Σ to the ulp of max (6e−5 at 1000).
        if (log) Shift(ref x, ref y, n, max, (float)Math.Log(sum));
        else Scale(ref y, n, (float)(1.0 / sum));
    }

    /// <summary>Log-softmax: dx = g − e^y·Σg.</summary>
    public static void LogBackward(ref float y, ref float g, ref float dx, int n)
    {
        float s = (float)BlockedSum.Sum(ref g, n);
        nuint i = 0, len = (nuint)n;
        if (Vector512.IsHardwareAccelerated)
        {
            var vs = Vector512.Create(s);
            var ceiling = Vector512.Create(VectorMath.ExpCeiling);
            for (nuint w = (nuint)Vector512<float>.Count; i + w <= len; i += w)
            {
                var yv = Vector512.LoadUnsafe(ref y, i);
                var e = Vector512.GreaterThanAny(yv, ceiling) ? Vector512.Exp(yv) : VectorMath.ExpUpTo88(yv);
                (Vector512.LoadUnsafe(ref g, i) - e * vs).StoreUnsafe(ref dx, i);
            }
        }
        var vs8 = Vector256.Create(s);
        var ceiling8 = Vector256.Create(VectorMath.ExpCeiling);
        for (nuint w = (nuint)Vector256<float>.Count; i + w <= len; i += w)
        {
            var yv = Vector256.LoadUnsafe(ref y, i);
            var e = Vector256.GreaterThanAny(yv, ceiling8) ? Vector256.Exp(yv) : VectorMath.ExpUpTo88(yv);
            (Vector256.LoadUnsafe(ref g, i) - e * vs8).StoreUnsafe(ref dx, i);
        }
        for (; i < len; i++) Unsafe.Add(ref dx, i) = Unsafe.Add(ref g, i) - MathF.Exp(Unsafe.Add(ref y, i)) * s;
    }

    /// <summary>Softmax: dx = y ⊙ (g − Σ g⊙y).</summary>
    public static void Backward(ref float y, ref float g, ref float dx, int n)
    {
        float dot = (float)BlockedSum.Dot(ref g, ref y, n);
        nuint i = 0, len = (nuint)n;
        if (Vector512.IsHardwareAccelerated)
        {
            var vd = Vector512.Create(dot);
            for (nuint w = (nuint)Vector512<float>.Count; i + w <= len; i += w)
                (Vector512.LoadUnsafe(ref y, i) * (Vector512.LoadUnsafe(ref g, i) - vd)).StoreUnsafe(ref dx, i);
        }
        var vd8 = Vector256.Create(dot);
        for (nuint w = (nuint)Vector256<float>.Count; i + w <= len; i += w)
            (Vector256.LoadUnsafe(ref y, i) * (Vector256.LoadUnsafe(ref g, i) - vd8)).StoreUnsafe(ref dx, i);
        for (; i < len; i++) Unsafe.Add(ref dx, i) = Unsafe.Add(ref y, i) * (Unsafe.Add(ref g, i) - dot);
    }

    /// <summary>Σ e^(x − max) over a row, block totals in double; each e^(x − max) is also written to y when store is set.</summary>
    internal static double ExpSum(ref float x, ref float y, int n, float max, bool store)
    {
        double sum = 0;
        for (int start = 0; start < n; start += Block)
        {
            int len = Math.Min(Block, n - start);
            sum += ExpBlock(ref Unsafe.Add(ref x, start), ref Unsafe.Add(ref y, start), len, max, store);
        }
        return sum;
    }

    /// <summary>The row's largest element (−∞ for an all −∞ row; a NaN in the row makes the exponentials' sum NaN in any case).</summary>
    internal static float Max(ref float x, int n)
    {
        nuint i = 0, len = (nuint)n;
        float max = float.NegativeInfinity;
        if (Vector512.IsHardwareAccelerated && len >= (nuint)Vector512<float>.Count)
        {
            nuint w = (nuint)Vector512<float>.Count;
            Vector512<float> m0 = Vector512.Create(float.NegativeInfinity), m1 = m0;
            for (; i + 2 * w <= len; i += 2 * w)
            {
                m0 = Vector512.Max(m0, Vector512.LoadUnsafe(ref x, i));
                m1 = Vector512.Max(m1, Vector512.LoadUnsafe(ref x, i + w));
            }
            for (; i + w <= len; i += w) m0 = Vector512.Max(m0, Vector512.LoadUnsafe(ref x, i));
            m0 = Vector512.Max(m0, m1);
            for (int l = 0; l < Vector512<float>.Count; l++) max = MathF.Max(max, m0.GetElement(l));
        }
        if (len - i >= (nuint)Vector256<float>.Count)
        {
            var m = Vector256.Create(float.NegativeInfinity);
            for (nuint w = (nuint)Vector256<float>.Count; i + w <= len; i += w) m = Vector256.Max(m, Vector256.LoadUnsafe(ref x, i));
            for (int l = 0; l < Vector256<float>.Count; l++) max = MathF.Max(max, m.GetElement(l));
        }
        for (; i < len; i++) max = MathF.Max(max, Unsafe.Add(ref x, i));
        return max;
    }

    // Σ e^(x − max) over one block, also written to y when store is set.
    private static float ExpBlock(ref float x, ref float y, int n, float max, bool store)
    {
        nuint i = 0, len = (nuint)n;
        float sum = 0;
        if (Vector512.IsHardwareAccelerated && len >= (nuint)Vector512<float>.Count)
        {
            var vmax = Vector512.Create(max);
            var acc = Vector512<float>.Zero;
            for (nuint w = (nuint)Vector512<float>.Count; i + w <= len; i += w)
            {
                var e = VectorMath.ExpUpTo88(Vector512.LoadUnsafe(ref x, i) - vmax);
                if (store) e.StoreUnsafe(ref y, i);
                acc += e;
            }
            sum += Vector512.Sum(acc);
        }
        if (len - i >= (nuint)Vector256<float>.Count)
        {
            var vmax = Vector256.Create(max);
            var acc = Vector256<float>.Zero;
            for (nuint w = (nuint)Vector256<float>.Count; i + w <= len; i += w)
            {
                var e = VectorMath.ExpUpTo88(Vector256.LoadUnsafe(ref x, i) - vmax);
                if (store) e.StoreUnsafe(ref y, i);
                acc += e;
            }
            sum += Vector256.Sum(acc);
        }
        for (; i < len; i++)
        {
            float e = MathF.Exp(Unsafe.Add(ref x, i) - max);
            if (store) Unsafe.Add(ref y, i) = e;
            sum += e;
        }
        return sum;
    }

    private static void Shift(ref float x, ref float y, int n, float max, float logSum)
    {
        nuint i = 0, len = (nuint)n;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> vmax = Vector512.Create(max), vlog = Vector512.Create(logSum);
            for (nuint w = (nuint)Vector512<float>.Count; i + w <= len; i += w)
                (Vector512.LoadUnsafe(ref x, i) - vmax - vlog).StoreUnsafe(ref y, i);
        }
        Vector256<float> vmax8 = Vector256.Create(max), vlog8 = Vector256.Create(logSum);
        for (nuint w = (nuint)Vector256<float>.Count; i + w <= len; i += w)
            (Vector256.LoadUnsafe(ref x, i) - vmax8 - vlog8).StoreUnsafe(ref y, i);
        for (; i < len; i++) Unsafe.Add(ref y, i) = Unsafe.Add(ref x, i) - max - logSum;
    }

    private static void Scale(ref float y, int n, float inv)
    {
        nuint i = 0, len = (nuint)n;
        if (Vector512.IsHardwareAccelerated)
        {
            var v = Vector512.Create(inv);
            for (nuint w = (nuint)Vector512<float>.Count; i + w <= len; i += w) (Vector512.LoadUnsafe(ref y, i) * v).StoreUnsafe(ref y, i);
        }
        var v8 = Vector256.Create(inv);
        for (nuint w = (nuint)Vector256<float>.Count; i + w <= len; i += w) (Vector256.LoadUnsafe(ref y, i) * v8).StoreUnsafe(ref y, i);
        for (; i < len; i++) Unsafe.Add(ref y, i) *= inv;
    }
}
