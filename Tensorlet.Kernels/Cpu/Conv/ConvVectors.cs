using System.Numerics;

namespace Tensorlet.Kernels.Cpu.Conv;

/// <summary>The two vector loops the convolution passes share; both run in index order, so sums are reproducible.</summary>
internal static unsafe class ConvVectors
{
    /// <summary>dst[0..n) += src[0..n).</summary>
    public static void Add(float* src, float* dst, int n)
    {
        int w = Vector<float>.Count, t = 0;
        for (; t <= n - w; t += w) Vector.Store(Vector.Load(dst + t) + Vector.Load(src + t), dst + t);
        for (; t < n; t++) dst[t] += src[t];
    }

    /// <summary>Σ src[0..n), in vector lanes then the tail.</summary>
    public static float Sum(float* src, int n)
    {
        int w = Vector<float>.Count, t = 0;
        var acc = Vector<float>.Zero;
        for (; t <= n - w; t += w) acc += Vector.Load(src + t);
        float sum = Vector.Sum(acc);
        for (; t < n; t++) sum += src[t];
        return sum;
    }

    /// <summary>dst[0..n) = src[0..n) + value.</summary>
    public static void AddScalar(float* src, float value, float* dst, int n)
    {
        int w = Vector<float>.Count, t = 0;
        var v = new Vector<float>(value);
        for (; t <= n - w; t += w) Vector.Store(Vector.Load(src + t) + v, dst + t);
        for (; t < n; t++) dst[t] = src[t] + value;
    }
}
