namespace Tensorlet.Kernels.Cpu.Conv;

/// <summary>
/// The adjoint of <see cref="Im2Col"/>: adds every entry of a lowered-image matrix back onto the input pixel it
/// was read from, x[c, oh·sH − pH + i·dH, ow·sW − pW + j·dW] += col[(c·KH + i)·KW + j, oh·OW + ow], dropping
/// entries that fell in the padding. Overlapping windows make it a sum, so the caller clears x first. Rows are
/// visited in a fixed order, so the sums are deterministic.
/// </summary>
internal static unsafe class Col2Im
{
    /// <summary>Accumulates channels·KH·KW rows (<paramref name="ldCol"/> apart) into <paramref name="channels"/> H×W planes.</summary>
    public static void Accumulate(in Conv2dGeometry g, float* col, nint ldCol, int channels, float* x)
    {
        int oh = g.OutH, ow = g.OutW, plane = g.H * g.W;
        for (int c = 0; c < channels; c++)
        for (int i = 0; i < g.KH; i++)
        for (int j = 0; j < g.KW; j++)
        {
            float* row = col + ((nint)(c * g.KH + i) * g.KW + j) * ldCol;
            int offW = j * g.DilationW - g.PadW;
            var (lo, hi) = Im2Col.ValidRange(offW, g.StrideW, g.W, ow);
            for (int r = 0; r < oh; r++, row += ow)
            {
                int ih = r * g.StrideH - g.PadH + i * g.DilationH;
                if ((uint)ih >= (uint)g.H) continue;
                float* dst = x + (nint)c * plane + (nint)ih * g.W + offW;
                if (g.StrideW == 1) ConvVectors.Add(row + lo, dst + lo, hi - lo);
                else for (int s = lo; s < hi; s++) dst[s * g.StrideW] += row[s];
            }
        }
    }
}
