namespace Tensorlet.Kernels.Reference;

/// <summary>
/// Batch normalisation over contiguous [N, C, HW] and dropout masks, in double, straight from the formulas of
/// <see cref="INormalizationKernels"/>. Running statistics are updated in the arrays passed in.
/// </summary>
public static class Normalization
{
    public static (float[] Y, float[] SaveMean, float[] SaveInvStd) BatchNormForward(
        int n, int c, int hw, float[] x, float[]? gamma, float[]? beta, float[]? runningMean, float[]? runningVar,
        bool useBatchStats, float momentum, float eps)
    {
        var y = new float[x.Length];
        var saveMean = new float[c];
        var saveInvStd = new float[c];
        int m = n * hw;
        for (int ch = 0; ch < c; ch++)
        {
            double mean, variance;
            if (useBatchStats)
            {
                double sum = 0, squares = 0;
                for (int b = 0; b < n; b++)
                    for (int i = 0; i < hw; i++) sum += x[(b * c + ch) * hw + i];
                mean = sum / m;
                for (int b = 0; b < n; b++)
                    for (int i = 0; i < hw; i++) squares += Math.Pow(x[(b * c + ch) * hw + i] - mean, 2);
                variance = squares / m;
                if (runningMean != null) runningMean[ch] = (float)((1 - momentum) * runningMean[ch] + momentum * mean);
                if (runningVar != null)
                    runningVar[ch] = (float)((1 - momentum) * runningVar[ch] + momentum * variance * m / Math.Max(m - 1, 1));
            }
            else
            {
                mean = runningMean![ch];
                variance = runningVar![ch];
            }
            double invStd = 1 / Math.Sqrt(variance + eps);
            saveMean[ch] = (float)mean;
            saveInvStd[ch] = (float)invStd;
            for (int b = 0; b < n; b++)
                for (int i = 0; i < hw; i++)
                {
                    int at = (b * c + ch) * hw + i;
                    y[at] = (float)((x[at] - mean) * invStd * (gamma?[ch] ?? 1f) + (beta?[ch] ?? 0f));
                }
        }
        return (y, saveMean, saveInvStd);
    }

    public static (float[] GradX, float[] GradGamma, float[] GradBeta) BatchNormBackward(
        int n, int c, int hw, float[] x, float[] gradY, float[]? gamma, float[] saveMean, float[] saveInvStd, bool useBatchStats)
    {
        var gradX = new float[x.Length];
        var gradGamma = new float[c];
        var gradBeta = new float[c];
        int m = n * hw;
        for (int ch = 0; ch < c; ch++)
        {
            double mean = saveMean[ch], invStd = saveInvStd[ch], g = gamma?[ch] ?? 1f;
            double sumG = 0, sumGXhat = 0;
            for (int b = 0; b < n; b++)
                for (int i = 0; i < hw; i++)
                {
                    int at = (b * c + ch) * hw + i;
                    sumG += gradY[at];
                    sumGXhat += gradY[at] * (x[at] - mean) * invStd;
                }
            gradGamma[ch] = (float)sumGXhat;
            gradBeta[ch] = (float)sumG;
            for (int b = 0; b < n; b++)
                for (int i = 0; i < hw; i++)
                {
                    int at = (b * c + ch) * hw + i;
                    double xhat = (x[at] - mean) * invStd;
                    gradX[at] = (float)(useBatchStats
                        ? g * invStd / m * (m * gradY[at] - sumG - xhat * sumGXhat)
                        : g * invStd * gradY[at]);
                }
        }
        return (gradX, gradGamma, gradBeta);
    }

    public static float[] DropoutMask(int count, float p, ulong seed, ulong counterBase)
    {
        var mask = new float[count];
        float scale = p >= 1f ? 0f : 1f / (1f - p);
        for (int i = 0; i < count; i++) mask[i] = DropoutHash.Mask(p, scale, seed, counterBase + (ulong)i);
        return mask;
    }
}
