namespace Tensorlet.Kernels.Reference;

/// <summary>
/// 2-D max, average and adaptive average pooling over contiguous [N, C, H, W] arrays, straight from the
/// definitions: every output visits its whole window (as <see cref="PoolAxis"/> states it for every backend), sums in
/// double. Forward and backward side by side.
/// </summary>
public static class Pooling
{
    public static (float[] Y, float[] Indices) MaxPool2d(in Pool2dGeometry g, float[] x)
    {
        int oh = g.OutH, ow = g.OutW, planes = g.N * g.C;
        var (rows, cols) = PoolAxis.Of(g);
        var y = new float[planes * oh * ow];
        var indices = new float[y.Length];
        for (int pl = 0; pl < planes; pl++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    int h0 = rows.Start(i), h1 = rows.End(i), w0 = cols.Start(j), w1 = cols.End(j);
                    float best = float.NegativeInfinity;
                    int at = h0 * g.W + w0;
                    for (int h = h0; h < h1; h++)
                        for (int w = w0; w < w1; w++)
                        {
                            float v = x[pl * g.H * g.W + h * g.W + w];
                            // Strictly greater keeps the first maximum; a NaN always takes over, as in PyTorch.
                            if (v > best || float.IsNaN(v)) (best, at) = (v, h * g.W + w);
                        }
                    y[(pl * oh + i) * ow + j] = best;
                    indices[(pl * oh + i) * ow + j] = at;
                }
        return (y, indices);
    }

    /// <summary>Each output's gradient goes to the input position that won its window.</summary>
    public static float[] MaxPool2dBackward(in Pool2dGeometry g, float[] gradY, float[] indices)
    {
        int outPlane = g.OutH * g.OutW, inPlane = g.H * g.W;
        var (rows, cols) = PoolAxis.Of(g);
        var gradX = new double[g.N * g.C * inPlane];
        for (int o = 0; o < gradY.Length; o++)
        {
            // The forward pass only produces integer positions inside the output's own window; refuse anything else.
            int at = o % outPlane;
            if (!PoolAxis.Holds(rows, cols, at / g.OutW, at % g.OutW, indices[o]))
                throw OperationChecks.BadMaxPoolIndex(indices[o], o / outPlane, at);
            gradX[o / outPlane * inPlane + (int)indices[o]] += gradY[o];
        }
        return ToFloat(gradX);
    }

    private static double Divisor(PoolAxis rows, PoolAxis cols, int i, int j) => (double)rows.Divisor(i) * cols.Divisor(j);

    public static float[] AvgPool2d(in Pool2dGeometry g, float[] x)
    {
        var (rows, cols) = PoolAxis.Of(g);
        return Average(g.N * g.C, rows, cols, x);
    }

    public static float[] AvgPool2dBackward(in Pool2dGeometry g, float[] gradY)
    {
        var (rows, cols) = PoolAxis.Of(g);
        return AverageBackward(g.N * g.C, rows, cols, gradY);
    }

    public static float[] AdaptiveAvgPool2d(int n, int c, int h, int w, int outH, int outW, float[] x) =>
        Average(n * c, PoolAxis.AdaptiveBins(h, outH), PoolAxis.AdaptiveBins(w, outW), x);

    public static float[] AdaptiveAvgPool2dBackward(int n, int c, int h, int w, int outH, int outW, float[] gradY) =>
        AverageBackward(n * c, PoolAxis.AdaptiveBins(h, outH), PoolAxis.AdaptiveBins(w, outW), gradY);

    /// <summary>
    /// Each output is its window's sum over the window's divisor. The axes say where windows start and end and what
    /// they divide by, strided or adaptive alike, so both average pools are this one loop.
    /// </summary>
    private static float[] Average(int planes, PoolAxis rows, PoolAxis cols, float[] x)
    {
        int h = rows.Size, w = cols.Size, oh = rows.Out, ow = cols.Out;
        var y = new float[planes * oh * ow];
        for (int pl = 0; pl < planes; pl++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    int h0 = rows.Start(i), h1 = rows.End(i), w0 = cols.Start(j), w1 = cols.End(j);
                    double sum = 0;
                    for (int r = h0; r < h1; r++)
                        for (int s = w0; s < w1; s++) sum += x[pl * h * w + r * w + s];
                    y[(pl * oh + i) * ow + j] = (float)(sum / Divisor(rows, cols, i, j));
                }
        return y;
    }

    /// <summary>The gradient of <see cref="Average"/>: each output's gradient shared equally by its window.</summary>
    private static float[] AverageBackward(int planes, PoolAxis rows, PoolAxis cols, float[] gradY)
    {
        int h = rows.Size, w = cols.Size, oh = rows.Out, ow = cols.Out;
        var gradX = new double[planes * h * w];
        for (int pl = 0; pl < planes; pl++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    int h0 = rows.Start(i), h1 = rows.End(i), w0 = cols.Start(j), w1 = cols.End(j);
                    double share = gradY[(pl * oh + i) * ow + j] / Divisor(rows, cols, i, j);
                    for (int r = h0; r < h1; r++)
                        for (int s = w0; s < w1; s++) gradX[pl * h * w + r * w + s] += share;
                }
        return ToFloat(gradX);
    }

    private static float[] ToFloat(double[] values) => Array.ConvertAll(values, v => (float)v);
}
