namespace Tensorlet.Models.Analysis;

/// <summary>A histogram of values in [−1, 1]: <see cref="Counts"/>[b] counts values in [Edges[b], Edges[b+1]).</summary>
/// <param name="Edges">Bins + 1 equally spaced edges from −1 to 1; the last bin also holds 1 itself.</param>
/// <param name="Counts">One count per bin.</param>
public sealed record Histogram(double[] Edges, int[] Counts)
{
    /// <summary>Counts <paramref name="values"/> into <paramref name="bins"/> equal bins over [−1, 1], clamping rounding overshoot.</summary>
    public static Histogram Of(IReadOnlyList<float> values, int bins)
    {
        if (bins <= 0) throw new ArgumentOutOfRangeException(nameof(bins), bins, "Histogram: bins must be positive.");
        var edges = new double[bins + 1];
        for (int b = 0; b <= bins; b++) edges[b] = -1 + 2.0 * b / bins;
        var counts = new int[bins];
        foreach (float v in values)
        {
            // Cosines can exceed ±1 by a rounding error; such values belong in the end bins.
            int b = (int)Math.Floor((v + 1.0) / 2.0 * bins);
            counts[Math.Clamp(b, 0, bins - 1)]++;
        }
        return new Histogram(edges, counts);
    }
}

/// <summary>The pair-filter statistic of a conv layer and of random Gaussian filters of the same shape.</summary>
/// <param name="Mu">μ_i for each of the layer's K filters.</param>
/// <param name="RandomMu">μ_i for K random Gaussian filters of the same size.</param>
/// <param name="Histogram">Histogram of <paramref name="Mu"/>.</param>
/// <param name="RandomHistogram">Histogram of <paramref name="RandomMu"/>, same bins.</param>
public sealed record PairFilterResult(float[] Mu, float[] RandomMu, Histogram Histogram, Histogram RandomHistogram);

/// <summary>
/// The pair-filter analysis of Shang et al. (ICML 2016, Figs. 2–3): for a conv weight [K, C, kh, kw], each filter φ_i is
/// flattened and scaled to unit length, and μ_i = min_{j≠i} ⟨φ_i, φ_j⟩ is the cosine similarity with its most
/// negatively correlated partner. Lower layers of trained CNNs show μ near −1 — filters come in opposite-phase pairs —
/// which random filters of the same shape do not (their μ sits a little below 0 for large C·kh·kw); this is what
/// motivates CReLU.
/// </summary>
public static class PairFilterAnalysis
{
    /// <summary>μ_i for every filter of <paramref name="weight"/> ([K, ...], K ≥ 2: each filter needs a partner).</summary>
    public static float[] MinPairCosines(Tensor weight)
    {
        if (weight.Rank < 2) throw new ArgumentException($"PairFilterAnalysis: expected a weight [K, C, kh, kw], got {Shape.Format(weight.Shape)}.");
        int k = weight.Size(0);
        if (k < 2) throw new ArgumentException($"PairFilterAnalysis: need at least 2 filters, got weight {Shape.Format(weight.Shape)}.");
        int d = weight.Count / k;
        var w = weight.ToArray();   // a host copy in logical order, whatever the strides or device
        // Normalise in double: the statistic is compared against the exact value −1 for mirrored filters.
        var unit = new double[w.Length];
        for (int i = 0; i < k; i++)
        {
            double norm = 0;
            for (int t = 0; t < d; t++) norm += (double)w[i * d + t] * w[i * d + t];
            norm = Math.Sqrt(norm);
            // A zero filter has no direction; leave it zero so its cosines are 0 rather than NaN.
            double inv = norm > 0 ? 1 / norm : 0;
            for (int t = 0; t < d; t++) unit[i * d + t] = w[i * d + t] * inv;
        }
        var mu = new float[k];
        for (int i = 0; i < k; i++)
        {
            double min = double.PositiveInfinity;
            for (int j = 0; j < k; j++)
            {
                if (j == i) continue;
                double dot = 0;
                for (int t = 0; t < d; t++) dot += unit[i * d + t] * unit[j * d + t];
                min = Math.Min(min, dot);
            }
            mu[i] = (float)min;
        }
        return mu;
    }

    /// <summary>
    /// μ for <paramref name="weight"/> and for Gaussian filters of its shape drawn from <paramref name="generator"/>
    /// (seeded, so the reference is reproducible), each histogrammed into <paramref name="bins"/> bins over [−1, 1].
    /// </summary>
    public static PairFilterResult Analyze(Tensor weight, int bins = 20, Generator? generator = null)
    {
        var mu = MinPairCosines(weight);
        using var random = Tensor.Randn(weight.Shape, generator ?? new Generator(0));
        var randomMu = MinPairCosines(random);
        return new PairFilterResult(mu, randomMu, Histogram.Of(mu, bins), Histogram.Of(randomMu, bins));
    }
}
