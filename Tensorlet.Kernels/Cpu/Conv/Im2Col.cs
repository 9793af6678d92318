using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Tensorlet.Kernels.Cpu.Conv;

/// <summary>
/// Lowers the input of a convolution to a matrix (im2col), so the convolution becomes one GEMM:
/// col[(c·KH + i)·KW + j, oh·OW + ow] = x[c, oh·sH − pH + i·dH, ow·sW − pW + j·dW], zero where that is outside
/// the image. Each (c, i, j) row is a set of OH runs of OW values; for one j the in-image part of every run is the
/// same column range, so it is computed once and each run becomes a zero fill, a copy (a strided gather when
/// sW &gt; 1) and another zero fill, with no per-element bounds test.
/// </summary>
internal static unsafe class Im2Col
{
    /// <summary>
    /// Lowers <paramref name="channels"/> channels of one image (at <paramref name="x"/>, H×W each) into
    /// channels·KH·KW rows of OH·OW values, <paramref name="ldCol"/> apart.
    /// </summary>
    public static void Lower(in Conv2dGeometry g, float* x, int channels, float* col, nint ldCol)
    {
        int oh = g.OutH, ow = g.OutW, plane = g.H * g.W;
        for (int c = 0; c < channels; c++)
        for (int i = 0; i < g.KH; i++)
        for (int j = 0; j < g.KW; j++)
        {
            float* row = col + ((nint)(c * g.KH + i) * g.KW + j) * ldCol;
            int offW = j * g.DilationW - g.PadW;
            var (lo, hi) = ValidRange(offW, g.StrideW, g.W, ow);
            for (int r = 0; r < oh; r++, row += ow)
            {
                int ih = r * g.StrideH - g.PadH + i * g.DilationH;
                if ((uint)ih >= (uint)g.H)
                {
                    new Span<float>(row, ow).Clear();
                    continue;
                }
                float* src = x + (nint)c * plane + (nint)ih * g.W + offW;
                // Runs are short (OW floats), so inline loops beat calls to Clear/MemoryCopy here.
                for (int s = 0; s < lo; s++) row[s] = 0f;
                if (g.StrideW == 1) Copy(src + lo, row + lo, hi - lo);
                else for (int s = lo; s < hi; s++) row[s] = src[s * g.StrideW];
                for (int s = hi; s < ow; s++) row[s] = 0f;
            }
        }
    }

    /// <summary>
    /// The output columns [lo, hi) whose input column s·stride + off lies in [0, width): the in-image part of
    /// every run for one kernel column (empty as lo = hi when none does).
    /// </summary>
    public static (int Lo, int Hi) ValidRange(int off, int stride, int width, int outWidth)
    {
        int lo = off >= 0 ? 0 : (-off + stride - 1) / stride;
        int last = width - 1 - off;
        int hi = last < 0 ? 0 : Math.Min(outWidth, last / stride + 1);
        lo = Math.Min(lo, outWidth);
        return (lo, Math.Max(lo, hi));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy(float* src, float* dst, int n)
    {
        int t = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; t + 16 <= n; t += 16) Vector512.Store(Vector512.Load(src + t), dst + t);
        for (; t + 8 <= n; t += 8) Vector256.Store(Vector256.Load(src + t), dst + t);
        for (; t < n; t++) dst[t] = src[t];
    }
}
