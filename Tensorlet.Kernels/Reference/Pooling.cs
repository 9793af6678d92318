namespace Tensorlet.Kernels.Reference;

/// <summary>
/// 2-D max, average and adaptive average pooling over contiguous [N, C, H, W] arrays, straight from the
/// definitions: every output visits its whole window, sums in double. Forward and backward side by side.
/// </summary>
public static class Pooling
{
    /// <summary>Rows (or columns) [start, end) of output o's window, clipped to the image, and its end clipped to size + pad.</summary>
    private static (int Start, int End, int PaddedEnd, int PaddedStart) Window(int o, int size, int k, int s, int p)
    {
        int start = o * s - p, end = start + k;
        return (Math.Max(start, 0), Math.Min(end, size), Math.Min(end, size + p), start);
    }

    public static (float[] Y, float[] Indices) MaxPool2d(in Pool2dGeometry g, float[] x)
    {
        int oh = g.OutH, ow = g.OutW, planes = g.N * g.C;
        var y = new float[planes * oh * ow];
        var indices = new float[y.Length];
        for (int pl = 0; pl < planes; pl++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    var (h0, h1, _, _) = Window(i, g.H, g.KH, g.StrideH, g.PadH);
                    var (w0, w1, _, _) = Window(j, g.W, g.KW, g.StrideW, g.PadW);
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
        var gradX = new double[g.N * g.C * inPlane];
        for (int o = 0; o < gradY.Length; o++)
        {
            // The forward pass only produces integer positions inside the output's own window; refuse anything else.
            int i = o % outPlane / g.OutW, j = o % g.OutW;
            var (h0, h1, _, _) = Window(i, g.H, g.KH, g.StrideH, g.PadH);
            var (w0, w1, _, _) = Window(j, g.W, g.KW, g.StrideW, g.PadW);
            double at = indices[o], r = Math.Floor(at / g.W), c = at - r * g.W;
            if (!(at == Math.Floor(at) && r >= h0 && r < h1 && c >= w0 && c < w1))
                throw new ArgumentOutOfRangeException(nameof(indices), indices[o],
                    $"MaxPool2dBackward: index {indices[o]} of output ({i}, {j}) in plane {o / outPlane} lies outside its window " +
                    $"(rows [{h0}, {h1}), columns [{w0}, {w1}) of a {g.H}×{g.W} plane).");
            gradX[o / outPlane * inPlane + (int)at] += gradY[o];
        }
        return ToFloat(gradX);
    }

    private static int Divisor(in Pool2dGeometry g, int i, int j)
    {
        var (h0, h1, hp1, hs) = Window(i, g.H, g.KH, g.StrideH, g.PadH);
        var (w0, w1, wp1, ws) = Window(j, g.W, g.KW, g.StrideW, g.PadW);
        return g.CountIncludePad ? (hp1 - hs) * (wp1 - ws) : (h1 - h0) * (w1 - w0);
    }

    public static float[] AvgPool2d(in Pool2dGeometry g, float[] x)
    {
        int oh = g.OutH, ow = g.OutW, planes = g.N * g.C;
        var y = new float[planes * oh * ow];
        for (int pl = 0; pl < planes; pl++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    var (h0, h1, _, _) = Window(i, g.H, g.KH, g.StrideH, g.PadH);
                    var (w0, w1, _, _) = Window(j, g.W, g.KW, g.StrideW, g.PadW);
                    double sum = 0;
                    for (int h = h0; h < h1; h++)
                        for (int w = w0; w < w1; w++) sum += x[pl * g.H * g.W + h * g.W + w];
                    y[(pl * oh + i) * ow + j] = (float)(sum / Divisor(g, i, j));
                }
        return y;
    }

    public static float[] AvgPool2dBackward(in Pool2dGeometry g, float[] gradY)
    {
        int oh = g.OutH, ow = g.OutW, planes = g.N * g.C;
        var gradX = new double[planes * g.H * g.W];
        for (int pl = 0; pl < planes; pl++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    var (h0, h1, _, _) = Window(i, g.H, g.KH, g.StrideH, g.PadH);
                    var (w0, w1, _, _) = Window(j, g.W, g.KW, g.StrideW, g.PadW);
                    double share = (double)gradY[(pl * oh + i) * ow + j] / Divisor(g, i, j);
                    for (int h = h0; h < h1; h++)
                        for (int w = w0; w < w1; w++) gradX[pl * g.H * g.W + h * g.W + w] += share;
                }
        return ToFloat(gradX);
    }

    /// <summary>Bin i of <paramref name="outSize"/> over <paramref name="size"/>: [⌊i·size/out⌋, ⌈(i+1)·size/out⌉).</summary>
    public static (int Start, int End) AdaptiveBin(int i, int size, int outSize) =>
        (i * size / outSize, ((i + 1) * size + outSize - 1) / outSize);

    public static float[] AdaptiveAvgPool2d(int n, int c, int h, int w, int outH, int outW, float[] x)
    {
        var y = new float[n * c * outH * outW];
        for (int pl = 0; pl < n * c; pl++)
            for (int i = 0; i < outH; i++)
                for (int j = 0; j < outW; j++)
                {
                    var (h0, h1) = AdaptiveBin(i, h, outH);
                    var (w0, w1) = AdaptiveBin(j, w, outW);
                    double sum = 0;
                    for (int r = h0; r < h1; r++)
                        for (int s = w0; s < w1; s++) sum += x[pl * h * w + r * w + s];
                    y[(pl * outH + i) * outW + j] = (float)(sum / ((h1 - h0) * (w1 - w0)));
                }
        return y;
    }

    public static float[] AdaptiveAvgPool2dBackward(int n, int c, int h, int w, int outH, int outW, float[] gradY)
    {
        var gradX = new double[n * c * h * w];
        for (int pl = 0; pl < n * c; pl++)
            for (int i = 0; i < outH; i++)
                for (int j = 0; j < outW; j++)
                {
                    var (h0, h1) = AdaptiveBin(i, h, outH);
                    var (w0, w1) = AdaptiveBin(j, w, outW);
                    double share = (double)gradY[(pl * outH + i) * outW + j] / ((h1 - h0) * (w1 - w0));
                    for (int r = h0; r < h1; r++)
                        for (int s = w0; s < w1; s++) gradX[pl * h * w + r * w + s] += share;
                }
        return ToFloat(gradX);
    }

    private static float[] ToFloat(double[] values) => Array.ConvertAll(values, v => (float)v);
}
