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
        var cols = new float[g.N * g.C * g.KH * g.KW * g.OutH * g.OutW];
        foreach (var (xi, ci) in Entries(g)) cols[ci] = xi < 0 ? 0f : x[xi];
        return cols;
    }

    /// <summary>
    /// The adjoint of <see cref="Unfold"/>, over the same pairs of positions: every entry of cols is added back onto the
    /// pixel it was read from (entries that came from the padding are dropped), so a pixel read by several blocks
    /// receives the sum. Summed in double.
    /// </summary>
    public static float[] Fold(in Conv2dGeometry g, float[] cols)
    {
        var x = new double[g.N * g.C * g.H * g.W];
        foreach (var (xi, ci) in Entries(g))
            if (xi >= 0) x[xi] += cols[ci];
        return Array.ConvertAll(x, v => (float)v);
    }

    /// <summary>
    /// Every entry of the lowered matrix with the input pixel it reads: (index into x, or −1 for the padding; index into
    /// cols), for each image n, channel c, tap (i, j) and block (oh, ow).
    /// </summary>
    private static IEnumerable<(int X, int Col)> Entries(Conv2dGeometry g)
    {
        int oh = g.OutH, ow = g.OutW, rows = g.C * g.KH * g.KW;
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
            yield return (inside ? ((n * g.C + c) * g.H + h) * g.W + w : -1, ((n * rows + row) * oh + r) * ow + s);
        }
    }
}
