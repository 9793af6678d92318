namespace Tensorlet.Kernels.Reference;

/// <summary>
/// Cross-entropy of [rows, C] logits against class indices, with label smoothing ε, and its logits' gradient: the plain
/// definitions in double (see <see cref="IBackend.CrossEntropy"/>).
/// </summary>
public static class CrossEntropy
{
    /// <summary>Per row: lse = log Σ e^x (max subtracted) and loss = (1 − ε)·(lse − x_t) + ε·(lse − mean x), ε term only when ε &gt; 0.</summary>
    public static (float[] Loss, float[] LogSumExp) Forward(float smoothing, float[] x, int rows, int cols, int[] target)
    {
        float[] loss = new float[rows], lse = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            double max = double.NegativeInfinity, sum = 0, total = 0;
            for (int c = 0; c < cols; c++) max = Math.Max(max, x[r * cols + c]);
            // An all −∞ row: shifting by 0 gives log 0 = −∞ for lse, as the definition does.
            if (double.IsNegativeInfinity(max)) max = 0;
            for (int c = 0; c < cols; c++)
            {
                sum += Math.Exp(x[r * cols + c] - max);
                total += x[r * cols + c];
            }
            double logSumExp = max + Math.Log(sum), nll = logSumExp - x[r * cols + target[r]];
            lse[r] = (float)logSumExp;
            loss[r] = (float)(smoothing == 0 ? nll : (1.0 - smoothing) * nll + smoothing * (logSumExp - total / cols));
        }
        return (loss, lse);
    }

    /// <summary>dst = β·dst + g_r·(e^(x − lse_r) − (1 − ε)·[c = t_r] − ε/C); dst is not read when β = 0.</summary>
    public static void Backward(float smoothing, float[] x, int rows, int cols, int[] target, float[] lse, float[] grad, float beta, float[] dst)
    {
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
            {
                int at = r * cols + c;
                double d = (double)grad[r] * (Math.Exp(x[at] - (double)lse[r]) - (c == target[r] ? 1.0 - smoothing : 0) - (double)smoothing / cols);
                dst[at] = (float)(beta == 0 ? d : beta * dst[at] + d);
            }
    }
}
