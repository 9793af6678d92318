namespace Tensorlet.Kernels.Reference;

/// <summary>Row-wise softmax / log-softmax of [rows, cols] and their gradients, in double.</summary>
public static class Softmax
{
    public static float[] Forward(bool log, float[] x, int rows, int cols)
    {
        var y = new float[rows * cols];
        for (int r = 0; r < rows; r++)
        {
            double max = double.NegativeInfinity;
            for (int c = 0; c < cols; c++) max = Math.Max(max, x[r * cols + c]);
            double sum = 0;
            for (int c = 0; c < cols; c++) sum += Math.Exp(x[r * cols + c] - max);
            for (int c = 0; c < cols; c++)
            {
                double shifted = x[r * cols + c] - max;
                y[r * cols + c] = (float)(log ? shifted - Math.Log(sum) : Math.Exp(shifted) / sum);
            }
        }
        return y;
    }

    /// <summary>softmax: dx = y ⊙ (g − Σ g⊙y); log-softmax: dx = g − e^y · Σ g.</summary>
    public static float[] Backward(bool log, float[] y, float[] g, int rows, int cols)
    {
        var dx = new float[rows * cols];
        for (int r = 0; r < rows; r++)
        {
            double s = 0;
            for (int c = 0; c < cols; c++) s += log ? g[r * cols + c] : (double)g[r * cols + c] * y[r * cols + c];
            for (int c = 0; c < cols; c++)
            {
                int at = r * cols + c;
                dx[at] = (float)(log ? g[at] - Math.Exp(y[at]) * s : y[at] * (g[at] - s));
            }
        }
        return dx;
    }
}
