namespace Tensorlet.Kernels.Cpu.Conv;

/// <summary>
/// The adjoint of <see cref="Im2Col"/> (col2im): sums every entry of a lowered-image matrix back onto the input
/// pixel it was read from, x[c, oh·sH − pH + i·dH, ow·sW − pW + j·dW] += col[(c·KH + i)·KW + j, oh·OW + ow].
/// Each channel is folded into a zero-bordered scratch plane, so runs need no bounds tests and entries that fell
/// in the padding land in the border and are dropped; the interior then overwrites the channel. Rows are folded
/// in a fixed order, so the sums are deterministic.
/// </summary>
internal static unsafe class Col2Im
{
    /// <summary>
    /// Writes <paramref name="channels"/> H×W planes at <paramref name="x"/> from channels·KH·KW rows of OH·OW values
    /// (<paramref name="ldCol"/> apart). <paramref name="plane"/> is scratch of <see cref="PlaneFloats"/> floats.
    /// </summary>
    public static void Fold(in Conv2dGeometry g, float* col, nint ldCol, int channels, float* x, float* plane)
    {
        int wp = g.W + 2 * g.PadW, hp = g.H + 2 * g.PadH, oh = g.OutH, ow = g.OutW;
        for (int c = 0; c < channels; c++)
        {
            new Span<float>(plane, hp * wp).Clear();
            for (int i = 0; i < g.KH; i++)
            for (int j = 0; j < g.KW; j++)
            {
                float* row = col + ((nint)(c * g.KH + i) * g.KW + j) * ldCol;
                float* dst = plane + (nint)i * g.DilationH * wp + j * g.DilationW;
                for (int r = 0; r < oh; r++, row += ow, dst += (nint)g.StrideH * wp)
                {
                    if (g.StrideW == 1) ConvVectors.Add(row, dst, ow);
                    else for (int s = 0; s < ow; s++) dst[s * g.StrideW] += row[s];
                }
            }
            float* channel = x + (nint)c * g.H * g.W;
            for (int h = 0; h < g.H; h++)
                Im2Col.Copy(plane + (nint)(h + g.PadH) * wp + g.PadW, channel + (nint)h * g.W, g.W);
        }
    }

    /// <summary>Floats of the folding plane, (H + 2·pH)·(W + 2·pW).</summary>
    public static long PlaneFloats(in Conv2dGeometry g) => (long)(g.H + 2 * g.PadH) * (g.W + 2 * g.PadW);
}
