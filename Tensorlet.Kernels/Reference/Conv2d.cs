namespace Tensorlet.Kernels.Reference;

/// <summary>
/// Direct 2-D convolution (the seven nested loops of the definition) and both of its gradients, summed in
/// double: the oracle the im2col + GEMM kernels are tested against. Layouts and formulas as in
/// <see cref="IConvolutionKernels"/>; arrays are dense NCHW starting at index 0.
/// </summary>
public static class Conv2d
{
    /// <summary>y[n,k,oh,ow] = b[k] + Σ w[k,c,i,j]·x[n, g·Cg + c, ih, iw] over in-image (ih, iw).</summary>
    public static float[] Forward(in Conv2dGeometry g, float[] x, float[] w, float[]? bias)
    {
        g.Validate();
        int oh = g.OutH, ow = g.OutW;
        var y = new float[g.N * g.K * oh * ow];
        var geo = g;
        Outputs(g, (n, k, r, s, o) =>
        {
            double sum = bias?[k] ?? 0.0;
            Taps(geo, n, k, r, s, (xi, wi) => sum += (double)x[xi] * w[wi]);
            y[o] = (float)sum;
        });
        return y;
    }

    /// <summary>gX[n, c, h, w] = Σ gY[n,k,oh,ow]·w[k,c',i,j] over the taps that read x[n, c, h, w].</summary>
    public static float[] BackwardInput(in Conv2dGeometry g, float[] gy, float[] w)
    {
        g.Validate();
        var gx = new double[g.N * g.C * g.H * g.W];
        var geo = g;
        Outputs(g, (n, k, r, s, o) =>
        {
            double grad = gy[o];
            Taps(geo, n, k, r, s, (xi, wi) => gx[xi] += grad * w[wi]);
        });
        return Array.ConvertAll(gx, v => (float)v);
    }

    /// <summary>gW[k,c,i,j] = Σ_{n,oh,ow} gY[n,k,oh,ow]·x[n, g·Cg + c, ih, iw]; gB[k] = Σ_{n,oh,ow} gY[n,k,oh,ow].</summary>
    public static (float[] GradWeight, float[] GradBias) BackwardWeight(in Conv2dGeometry g, float[] x, float[] gy)
    {
        g.Validate();
        var gw = new double[g.K * g.GroupC * g.KH * g.KW];
        var gb = new double[g.K];
        var geo = g;
        Outputs(g, (n, k, r, s, o) =>
        {
            double grad = gy[o];
            gb[k] += grad;
            Taps(geo, n, k, r, s, (xi, wi) => gw[wi] += grad * x[xi]);
        });
        return (Array.ConvertAll(gw, v => (float)v), Array.ConvertAll(gb, v => (float)v));
    }

    /// <summary>Calls <paramref name="output"/>(n, k, r, s, index in y) for every output element, in NCHW order.</summary>
    private static void Outputs(in Conv2dGeometry g, Action<int, int, int, int, int> output)
    {
        int oh = g.OutH, ow = g.OutW;
        for (int n = 0; n < g.N; n++)
        for (int k = 0; k < g.K; k++)
        for (int r = 0; r < oh; r++)
        for (int s = 0; s < ow; s++)
            output(n, k, r, s, ((n * g.K + k) * oh + r) * ow + s);
    }

    /// <summary>
    /// Calls <paramref name="tap"/>(x index, weight index) for every in-image input element that output
    /// [n, k, r, s] reads; padded positions are skipped (they read as zero).
    /// </summary>
    private static void Taps(in Conv2dGeometry g, int n, int k, int r, int s, Action<int, int> tap)
    {
        int group = k / g.GroupK;
        for (int c = 0; c < g.GroupC; c++)
        for (int i = 0; i < g.KH; i++)
        for (int j = 0; j < g.KW; j++)
        {
            int ih = r * g.StrideH - g.PadH + i * g.DilationH;
            int iw = s * g.StrideW - g.PadW + j * g.DilationW;
            if (ih < 0 || ih >= g.H || iw < 0 || iw >= g.W) continue;
            int channel = group * g.GroupC + c;
            tap(((n * g.C + channel) * g.H + ih) * g.W + iw, ((k * g.GroupC + c) * g.KH + i) * g.KW + j);
        }
    }
}
