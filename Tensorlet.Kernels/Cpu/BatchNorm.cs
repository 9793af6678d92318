using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// Batch normalisation over [N, C, HW]. Each channel is N rows of HW contiguous floats (at any batch and channel
/// strides: <see cref="Planes"/>; per-channel vectors at any stride: <see cref="ChannelVector"/>); with batch statistics
/// one thread handles a whole channel (its statistics, then its output), so channels split over threads without
/// changing a bit, and a channel's rows are still in cache for the second and third passes; in eval mode the planes
/// are walked in memory order. Row sums use Vector256 lanes
/// flushed into a double every <see cref="Block"/> elements; the variance is two-pass (deviations from the mean),
/// so a large mean does not cancel away the digits of a small variance.
/// </summary>
internal static class BatchNorm
{
    private const int Block = 1024;
    private static readonly int Lanes = Vector256<float>.Count;

    public static void Forward(int n, int c, int hw, Planes x, ChannelVector? gamma, ChannelVector? beta,
                               ChannelVector? runningMean, ChannelVector? runningVar, bool useBatchStats, float momentum, float eps,
                               Planes y, ChannelVector saveMean, ChannelVector saveInvStd)
    {
        long m = (long)n * hw;
        if (!useBatchStats)
        {
            EvalForward(n, c, hw, x, gamma, beta, runningMean!.Value, runningVar!.Value, eps, y, saveMean, saveInvStd);
            return;
        }
        Reduce.ForItems(c, 3 * m, (s, e) =>
        {
            for (int ch = s; ch < e; ch++)
            {
                double sum = 0, squares = 0;
                for (int b = 0; b < n; b++) sum += BlockedSum.Sum(ref x.Data[x.At(b, ch)], hw);
                double mean = sum / m;
                for (int b = 0; b < n; b++) squares += SquaredDeviations(x.Data.AsSpan(x.At(b, ch), hw), (float)mean);
                double variance = squares / m;
                if (runningMean is { } rm) rm[ch] = (float)((1 - momentum) * rm[ch] + momentum * mean);
                if (runningVar is { } rv) rv[ch] = (float)((1 - momentum) * rv[ch] + momentum * variance * m / Math.Max(m - 1, 1));
                var (scale, shift) = Coefficients(ch, mean, variance, gamma, beta, eps, saveMean, saveInvStd);
                for (int b = 0; b < n; b++)
                    Affine(ref Reduce.At(x.Data, x.At(b, ch)), ref Reduce.At(y.Data, y.At(b, ch)), hw, scale, shift);
            }
        });
    }

    // Eval mode has nothing to gather per channel, so the planes go in memory order (split over threads by plane, each
    // with its channel's coefficients), not channel by channel: that walk jumps a whole sample between planes.
    private static void EvalForward(int n, int c, int hw, Planes x, ChannelVector? gamma, ChannelVector? beta,
                                    ChannelVector runningMean, ChannelVector runningVar, float eps,
                                    Planes y, ChannelVector saveMean, ChannelVector saveInvStd)
    {
        float[] scales = new float[c], shifts = new float[c];
        for (int ch = 0; ch < c; ch++)
            (scales[ch], shifts[ch]) = Coefficients(ch, runningMean[ch], runningVar[ch], gamma, beta, eps, saveMean, saveInvStd);
        Reduce.ForItems(n * c, hw, (lo, hi) =>
        {
            for (int pl = lo; pl < hi; pl++)
            {
                int ch = pl % c;
                Affine(ref Reduce.At(x.Data, x.At(pl)), ref Reduce.At(y.Data, y.At(pl)), hw, scales[ch], shifts[ch]);
            }
        });
    }

    // y = x·scale + shift with scale = γ/√(σ² + ε) and shift = β − μ·scale; also saves μ and 1/√(σ² + ε) for the backward.
    private static (float Scale, float Shift) Coefficients(int ch, double mean, double variance, ChannelVector? gamma, ChannelVector? beta,
                                                           float eps, ChannelVector saveMean, ChannelVector saveInvStd)
    {
        double invStd = 1 / Math.Sqrt(variance + eps);
        saveMean[ch] = (float)mean;
        saveInvStd[ch] = (float)invStd;
        double scale = invStd * (gamma is { } gm ? gm[ch] : 1f);
        return ((float)scale, (float)((beta is { } bt ? bt[ch] : 0f) - mean * scale));
    }

    // With x̂ = (x − μ)·is, S = Σ gy·(x − μ) and G = Σ gy, the batch-statistics gradient
    // γ·is/M·(M·gy − G − x̂·is·S) regroups into A·gy + B·(x − μ) + C with A = γ·is, B = −A·is²·S/M, C = −A·G/M.
    public static void Backward(int n, int c, int hw, Planes x, Planes gradY, ChannelVector? gamma,
                                ChannelVector saveMean, ChannelVector saveInvStd, bool useBatchStats,
                                Planes? gradX, ChannelVector? gradGamma, ChannelVector? gradBeta)
    {
        long m = (long)n * hw;
        Reduce.ForItems(c, 3 * m, (s, e) =>
        {
            for (int ch = s; ch < e; ch++)
            {
                float mean = saveMean[ch];
                double invStd = saveInvStd[ch], sumG = 0, sumGDev = 0;
                for (int b = 0; b < n; b++)
                {
                    var (g, gd) = GradientSums(gradY.Data.AsSpan(gradY.At(b, ch), hw), x.Data.AsSpan(x.At(b, ch), hw), mean);
                    sumG += g;
                    sumGDev += gd;
                }
                if (gradGamma is { } gg) gg[ch] = (float)(sumGDev * invStd);
                if (gradBeta is { } gb) gb[ch] = (float)sumG;
                if (gradX is not { } gx) continue;
                double a = (gamma is { } gm ? gm[ch] : 1f) * invStd;
                float bCoef = useBatchStats ? (float)(-a * invStd * invStd * sumGDev / m) : 0f;
                float cCoef = useBatchStats ? (float)(-a * sumG / m) : 0f;
                for (int b = 0; b < n; b++)
                    InputGradient(gradY.Data.AsSpan(gradY.At(b, ch), hw), x.Data.AsSpan(x.At(b, ch), hw), gx.Data.AsSpan(gx.At(b, ch), hw),
                                  (float)a, bCoef, mean, cCoef);
            }
        });
    }

    /// <summary>Σ (x − mean)², blocked.</summary>
    private static double SquaredDeviations(ReadOnlySpan<float> x, float mean)
    {
        double total = 0;
        var vmean = Vector256.Create(mean);
        for (int start = 0; start < x.Length; start += Block)
        {
            var row = x.Slice(start, Math.Min(Block, x.Length - start));
            var acc = Vector256<float>.Zero;
            int i = 0;
            for (; i + Lanes <= row.Length; i += Lanes)
            {
                var d = Vector256.Create<float>(row.Slice(i)) - vmean;
                acc += d * d;
            }
            float tail = 0;
            for (; i < row.Length; i++) tail += (row[i] - mean) * (row[i] - mean);
            total += Vector256.Sum(acc) + tail;
        }
        return total;
    }

    /// <summary>(Σ g, Σ g·(x − mean)), blocked.</summary>
    private static (double G, double GDev) GradientSums(ReadOnlySpan<float> g, ReadOnlySpan<float> x, float mean)
    {
        double totalG = 0, totalGDev = 0;
        var vmean = Vector256.Create(mean);
        for (int start = 0; start < x.Length; start += Block)
        {
            int len = Math.Min(Block, x.Length - start), i = 0;
            ReadOnlySpan<float> gs = g.Slice(start, len), xs = x.Slice(start, len);
            Vector256<float> accG = default, accGDev = default;
            for (; i + Lanes <= len; i += Lanes)
            {
                var gv = Vector256.Create<float>(gs.Slice(i));
                accG += gv;
                accGDev += gv * (Vector256.Create<float>(xs.Slice(i)) - vmean);
            }
            float tailG = 0, tailGDev = 0;
            for (; i < len; i++)
            {
                tailG += gs[i];
                tailGDev += gs[i] * (xs[i] - mean);
            }
            totalG += Vector256.Sum(accG) + tailG;
            totalGDev += Vector256.Sum(accGDev) + tailGDev;
        }
        return (totalG, totalGDev);
    }

    // y = x·scale + shift, in full-width vectors where the CPU has them; the tail is the scalar FMA, so every
    // element is rounded the same way whichever loop it falls in.
    private static void Affine(ref float x, ref float y, int n, float scale, float shift)
    {
        nuint i = 0, len = (nuint)n;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> vs = Vector512.Create(scale), vb = Vector512.Create(shift);
            for (nuint w = (nuint)Vector512<float>.Count; i + 2 * w <= len; i += 2 * w)
            {
                Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x, i), vs, vb).StoreUnsafe(ref y, i);
                Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x, i + w), vs, vb).StoreUnsafe(ref y, i + w);
            }
        }
        {
            Vector256<float> vs = Vector256.Create(scale), vb = Vector256.Create(shift);
            for (nuint w = (nuint)Lanes; i + w <= len; i += w)
                Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x, i), vs, vb).StoreUnsafe(ref y, i);
        }
        for (; i < len; i++) Unsafe.Add(ref y, i) = MathF.FusedMultiplyAdd(Unsafe.Add(ref x, i), scale, shift);
    }

    /// <summary>gx = a·g + b·(x − mean) + c.</summary>
    private static void InputGradient(ReadOnlySpan<float> g, ReadOnlySpan<float> x, Span<float> gx, float a, float b, float mean, float c)
    {
        Vector256<float> va = Vector256.Create(a), vb = Vector256.Create(b), vm = Vector256.Create(mean), vc = Vector256.Create(c);
        int i = 0;
        for (; i + Lanes <= x.Length; i += Lanes)
        {
            var dev = Vector256.Create<float>(x.Slice(i)) - vm;
            (Vector256.Create<float>(g.Slice(i)) * va + (dev * vb + vc)).CopyTo(gx.Slice(i));
        }
        for (; i < x.Length; i++) gx[i] = g[i] * a + ((x[i] - mean) * b + c);
    }
}
