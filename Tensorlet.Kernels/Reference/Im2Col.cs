namespace Tensorlet.Kernels.Reference;

/// <summary>
/// im2col and col2im written as the plain loops of their definition, for reading and as the oracle of
/// <see cref="IConvolutionKernels.Unfold"/> and <see cref="IConvolutionKernels.Fold"/>. Arrays are dense, x is
/// [N, C, H, W] and cols is [N, C·KH·KW, OH·OW] (PyTorch's <c>unfold</c> layout); K and Groups of the geometry are unused.
/// </summary>
/// <remarks>
/// Row (c, i, j) of an image's matrix holds what tap (i, j) of channel c sees at every output position, so a
/// convolution is the matrix product weight[K, C·KH·KW] · cols[C·KH·KW, OH·OW].
/// </remarks>
public static class Im2Col
{
    /// <summary>cols[n, (c·KH + i)·KW + j, oh·OW + ow] = x[n, c, oh·sH − pH + i·dH, ow·sW − pW + j·dW], 0 outside the image.</summary>
    public static float[] Unfold(in Conv2dGeometry g, float[] x)
    {
        int oh = g.OutH, ow = g.OutW, rows = g.C * g.KH * g.KW;
        var cols = new float[g.N * rows * oh * ow];
        for (int n = 0; n < g.N; n++)
        for (int c = 0; c < g.C; c++)
        for (int i = 0; i < g.KH; i++)
        for (int j = 0; j < g.KW; j++)
        for (int r = 0; r < oh; r++)
        for (int s = 0; s < ow; s++)
        {
            int h = r * g.StrideH - g.PadH + i * g.DilationH;
            int w = s * g.StrideW - g.PadW + j * g.DilationW;
            int row = (c * g.KH + i) * g.KW + j;
            bool inside = h >= 0 && h < g.H && w >= 0 && w < g.W;
            cols[((n * rows + row) * oh + r) * ow + s] = inside ? x[((n * g.C + c) * g.H + h) * g.W + w] : 0f;
        }
        return cols;
    }

    /// <summary>
    /// The adjoint of <see cref="Unfold"/>: every entry of cols is added back onto the pixel it was read from (entries
    /// that came from the padding are dropped), so a pixel read by several blocks receives the sum. Summed in double.
    /// </summary>
    public static float[] Fold(in Conv2dGeometry g, float[] cols)
    {
        int oh = g.OutH, ow = g.OutW, rows = g.C * g.KH * g.KW;
        var x = new double[g.N * g.C * g.H * g.W];
        for (int n = 0; n < g.N; n++)
        for (int c = 0; c < g.C; c++)
        for (int i = 0; i < g.KH; i++)
        for (int j = 0; j < g.KW; j++)
        for (int r = 0; r < oh; r++)
        for (int s = 0; s < ow; s++)
        {
            int h = r * g.StrideH - g.PadH + i * g.DilationH;
            int w = s * g.StrideW - g.PadW + j * g.DilationW;
            if (h < 0 || h >= g.H || w < 0 || w >= g.W) continue;
            int row = (c * g.KH + i) * g.KW + j;
            x[((n * g.C + c) * g.H + h) * g.W + w] += cols[((n * rows + row) * oh + r) * ow + s];
        }
        return Array.ConvertAll(x, v => (float)v);
    }
}
