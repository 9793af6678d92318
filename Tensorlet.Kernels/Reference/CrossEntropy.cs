namespace Tensorlet.Kernels.Reference;

/// <summary>
/// Cross-entropy of [rows, C] logits against class indices, with label smoothing ε, and its logits' gradient: the plain
/// definitions in double (see <see cref="IBackend.CrossEntropy"/>).
/// </summary>
public static class CrossEntropy
{
    /// <summary>
    /// Per row, with m the row max (0 for a row of −∞ only): logSum = log Σ e^(x − m), and with lse = m + logSum,
    /// loss = (1 − ε)·(lse − x_t) + ε·(lse − mean x), the ε term only when ε &gt; 0.
    /// </summary>
    public static (float[] Loss, float[] LogSum) Forward(float smoothing, float[] x, int rows, int cols, int[] target)
    {
        float[] loss = new float[rows], shifted = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            double max = double.NegativeInfinity, sum = 0, total = 0;
            for (int c = 0; c < cols; c++) max = Math.Max(max, x[r * cols + c]);
            // An all −∞ row: shifting by 0 gives log 0 = −∞ for log Σ, as the definition does.
            if (double.IsNegativeInfinity(max)) max = 0;
            for (int c = 0; c < cols; c++)
            {
                sum += Math.Exp(x[r * cols + c] - max);
                total += x[r * cols + c];
            }
            double logSum = Math.Log(sum), logSumExp = max + logSum, nll = logSumExp - x[r * cols + target[r]];
            shifted[r] = (float)logSum;
            loss[r] = (float)(smoothing == 0 ? nll : (1.0 - smoothing) * nll + smoothing * (logSumExp - total / cols));
        }
        return (loss, shifted);
    }

    /// <summary>dst = β·dst + g_r·(e^((x − m_r) − logSum_r) − (1 − ε)·[c = t_r] − ε/C), m_r the row max; dst is not read when β = 0.</summary>
    public static void Backward(float smoothing, float[] x, int rows, int cols, int[] target, float[] logSum, float[] grad, float beta, float[] dst)
    {
        for (int r = 0; r < rows; r++)
        {
            double max = double.NegativeInfinity;
            for (int c = 0; c < cols; c++) max = Math.Max(max, x[r * cols + c]);
            if (double.IsNegativeInfinity(max)) max = 0;
            for (int c = 0; c < cols; c++)
            {
                int at = r * cols + c;
                double d = (double)grad[r] * (Math.Exp(x[at] - max - logSum[r]) - (c == target[r] ? 1.0 - smoothing : 0) - (double)smoothing / cols);
                dst[at] = (float)(beta == 0 ? d : beta * dst[at] + d);
            }
        }
    }
}
