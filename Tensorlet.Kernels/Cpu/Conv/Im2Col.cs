using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Tensorlet.Kernels.Cpu.Conv;

/// <summary>
/// Lowers the input of a convolution to a matrix (im2col), so the convolution becomes one GEMM:
/// col[(c·KH + i)·KW + j, oh·OW + ow] = x[c, oh·sH − pH + i·dH, ow·sW − pW + j·dW], zero where that is outside
/// the image. With padding, each channel is first copied into a zero-bordered plane; every run of OW values is
/// then a plain copy (a strided gather when sW &gt; 1) with no bounds tests. That matters because a lowered element
/// feeds only Kg multiply-adds: for narrow groups the lowering costs as much as the GEMM.
/// </summary>
internal static unsafe class Im2Col
{
    /// <summary>
    /// Lowers <paramref name="channels"/> channels of one image (at <paramref name="x"/>, H×W each) into
    /// channels·KH·KW rows of OH·OW values, <paramref name="ldCol"/> apart. <paramref name="padded"/> is scratch of
    /// <see cref="PaddedPlane"/> floats (unused without padding, or with a <paramref name="gather"/>, which takes
    /// each row in one permute: <see cref="SmallPlaneGather.For"/>).
    /// </summary>
    public static void Lower(in Conv2dGeometry g, float* x, int channels, float* col, nint ldCol, float* padded,
                             SmallPlaneGather? gather = null)
    {
        int plane = g.H * g.W, taps = g.KH * g.KW;
        if (gather != null)
        {
            for (int c = 0; c < channels; c++)
            for (int t = 0; t < taps; t++)
                gather.Run(x + (nint)c * plane, t, col + ((nint)c * taps + t) * ldCol);
            return;
        }
        bool pad = g.PadH > 0 || g.PadW > 0;
        int wp = g.W + 2 * g.PadW;
        for (int c = 0; c < channels; c++)
        {
            float* src = x + (nint)c * plane;
            if (pad)
            {
                Pad(g, src, padded);
                src = padded;
            }
            else wp = g.W;
            for (int i = 0; i < g.KH; i++)
            for (int j = 0; j < g.KW; j++)
                LowerTap(g, src + (nint)i * g.DilationH * wp + j * g.DilationW, wp,
                         col + ((nint)(c * g.KH + i) * g.KW + j) * ldCol);
        }
    }

    /// <summary>Floats of one zero-bordered input plane, (H + 2·pH)·(W + 2·pW).</summary>
    public static long PaddedPlane(in Conv2dGeometry g) =>
        g.PadH > 0 || g.PadW > 0 ? (long)(g.H + 2 * g.PadH) * (g.W + 2 * g.PadW) : 0;

    // One (c, i, j) row: OH runs of OW values, run r read from source row r·sH (the tap's offset already applied).
    private static void LowerTap(in Conv2dGeometry g, float* src, int ld, float* row)
    {
        int oh = g.OutH, ow = g.OutW, sh = g.StrideH, sw = g.StrideW;
        for (int r = 0; r < oh; r++, row += ow, src += (nint)sh * ld)
        {
            if (sw == 1) Copy(src, row, ow);
            else for (int s = 0; s < ow; s++) row[s] = src[s * sw];
        }
    }

    /// <summary>Copies one H×W plane into the middle of a zeroed (H + 2·pH)×(W + 2·pW) plane.</summary>
    public static void Pad(in Conv2dGeometry g, float* src, float* dst)
    {
        int wp = g.W + 2 * g.PadW;
        new Span<float>(dst, g.PadH * wp).Clear();
        float* d = dst + (nint)g.PadH * wp;
        for (int h = 0; h < g.H; h++, d += wp)
        {
            for (int t = 0; t < g.PadW; t++) d[t] = d[g.PadW + g.W + t] = 0f;
            Copy(src + (nint)h * g.W, d + g.PadW, g.W);
        }
        new Span<float>(d, g.PadH * wp).Clear();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy(float* src, float* dst, int n)
    {
        int t = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; t + 16 <= n; t += 16) Vector512.Store(Vector512.Load(src + t), dst + t);
        for (; t + 8 <= n; t += 8) Vector256.Store(Vector256.Load(src + t), dst + t);
        for (; t < n; t++) dst[t] = src[t];
    }
}
