using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// The fused cross-entropy over the rows of a [rows, C] view of any layout (<see cref="StridedRows"/>: rows in place when
/// their elements are adjacent, else through a scratch row). The forward reads each row twice while it sits in L1 (its
/// max, then Σ e^(x − max), both from <see cref="SoftmaxRows"/>) and writes only the loss and log Σ e^(x − max); the
/// backward finds each row's max again and writes, or adds into, the whole gradient in one more pass over the row (now
/// in L1), the probabilities recomputed as e^((x − max) − log Σ), log-softmax's rounding. Rows are
/// independent and split across threads statically, so every thread count gives the same bits. All class indices are
/// checked before anything is written.
/// </summary>
internal static class CrossEntropy
{
    public static void Forward(float smoothing, StridedRows x, int rows, ChannelVector target, ChannelVector loss, ChannelVector logSums)
    {
        int cols = x.Cols;
        CheckTargets("CrossEntropy", target, rows, cols);
        Reduce.ForItems(rows, cols, (start, end) =>
        {
            float[]? scratch = x.Gathered ? ArrayPool<float>.Shared.Rent(cols) : null;
            for (int r = start; r < end; r++)
            {
                var row = x.Read(r, scratch == null ? default : scratch.AsSpan(0, cols));
                ref float xr = ref MemoryMarshal.GetReference(row);
                float max = ShiftOf(ref xr, cols);
                double logSum = Math.Log(SoftmaxRows.ExpSum(ref xr, ref xr, cols, max, store: false));
                // (max − x_t) + log Σ, not lse − x_t: lse rounded to the ulp of a large max would cost the loss its digits.
                double nll = (max - (double)row[(int)target[r]]) + logSum;
                if (smoothing != 0f)
                    nll = (1.0 - smoothing) * nll + smoothing * (max - BlockedSum.Sum(ref xr, cols) / cols + logSum);
                loss[r] = (float)nll;
                logSums[r] = (float)logSum;
            }
            if (scratch != null) ArrayPool<float>.Shared.Return(scratch);
        });
    }

    public static void Backward(float smoothing, StridedRows x, int rows, ChannelVector target, ChannelVector logSums, ChannelVector grad,
                                float beta, StridedRows dst)
    {
        int cols = x.Cols;
        CheckTargets("CrossEntropyBackward", target, rows, cols);
        Reduce.ForItems(rows, cols, (start, end) =>
        {
            float[]? scratch = x.Gathered || dst.Gathered ? ArrayPool<float>.Shared.Rent(2 * cols) : null;
            Span<float> xScratch = scratch == null ? default : scratch.AsSpan(0, cols);
            Span<float> dScratch = scratch == null ? default : scratch.AsSpan(cols, cols);
            for (int r = start; r < end; r++)
            {
                var row = x.Read(r, xScratch);
                // A gathered destination that accumulates needs its old values in the scratch row first.
                if (beta != 0f && dst.Gathered) dst.Read(r, dScratch);
                var d = dst.Target(r, dScratch);
                float g = grad[r];
                ref float xr = ref MemoryMarshal.GetReference(row);
                GradientRow(ref xr, ref MemoryMarshal.GetReference(d), cols, ShiftOf(ref xr, cols), logSums[r], g, g * smoothing / cols, beta);
                d[(int)target[r]] -= g * (1f - smoothing);
                dst.Store(r, d);
            }
            if (scratch != null) ArrayPool<float>.Shared.Return(scratch);
        });
    }

    // The row max both passes shift by. An all −∞ row has no finite max; shifting by 0 gives log Σ = log 0 = −∞ (and a
    // NaN loss, as log-softmax does).
    private static float ShiftOf(ref float x, int n)
    {
        float max = SoftmaxRows.Max(ref x, n);
        return float.IsNegativeInfinity(max) ? 0f : max;
    }

    private static void CheckTargets(string op, ChannelVector target, int rows, int classes)
    {
        for (int r = 0; r < rows; r++)
            if (!OperationChecks.IsValidIndex(target[r], classes)) throw OperationChecks.BadTarget(op, target[r], r, classes);
    }

    // d = β·d + g·e^((x − max) − logSum) − shift over one contiguous row (shift = g·ε/C; the target's −g·(1 − ε) is added
    // after). β = 0 never reads d. An exponent above the fast exp's range (only from a logSum that no forward produced)
    // takes the runtime's exp, as log-softmax's backward does.
    private static void GradientRow(ref float x, ref float d, int n, float max, float logSum, float g, float shift, float beta)
    {
        nuint i = 0, len = (nuint)n;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> vm = Vector512.Create(max), vl = Vector512.Create(logSum), vg = Vector512.Create(g), vs = Vector512.Create(shift), vb = Vector512.Create(beta);
            var ceiling = Vector512.Create(VectorMath.ExpCeiling);
            for (nuint w = (nuint)Vector512<float>.Count; i + w <= len; i += w)
            {
                var z = (Vector512.LoadUnsafe(ref x, i) - vm) - vl;
                var p = Vector512.GreaterThanAny(z, ceiling) ? Vector512.Exp(z) : VectorMath.ExpUpTo88(z);
                var v = Vector512.FusedMultiplyAdd(p, vg, -vs);
                if (beta != 0f) v = Vector512.FusedMultiplyAdd(vb, Vector512.LoadUnsafe(ref d, i), v);
                v.StoreUnsafe(ref d, i);
            }
        }
        Vector256<float> vm8 = Vector256.Create(max), vl8 = Vector256.Create(logSum), vg8 = Vector256.Create(g), vs8 = Vector256.Create(shift), vb8 = Vector256.Create(beta);
        var ceiling8 = Vector256.Create(VectorMath.ExpCeiling);
        for (nuint w = (nuint)Vector256<float>.Count; i + w <= len; i += w)
        {
            var z = (Vector256.LoadUnsafe(ref x, i) - vm8) - vl8;
            var p = Vector256.GreaterThanAny(z, ceiling8) ? Vector256.Exp(z) : VectorMath.ExpUpTo88(z);
            var v = Vector256.FusedMultiplyAdd(p, vg8, -vs8);
            if (beta != 0f) v = Vector256.FusedMultiplyAdd(vb8, Vector256.LoadUnsafe(ref d, i), v);
            v.StoreUnsafe(ref d, i);
        }
        for (; i < len; i++)
        {
            float v = g * MathF.Exp((Unsafe.Add(ref x, i) - max) - logSum) - shift;
            Unsafe.Add(ref d, i) = beta == 0f ? v : beta * Unsafe.Add(ref d, i) + v;
        }
    }
}
