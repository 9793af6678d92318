using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Tensorlet.Kernels.Cpu.Gemm;

namespace Tensorlet.Kernels.Cpu.Conv;

/// <summary>
/// Forward convolution without a GEMM, for stride 1 and few taps per output (Cg·KH·KW ≤ <see cref="MaxTaps"/>:
/// few input channels, as in a network's first layer, or narrow groups). There the lowered GEMM has so small a k
/// that packing, write-back and padding its tiles to 8 output channels cost more than the multiply-adds. Here a
/// register tile of 4 output channels × 2 output rows × 16 columns accumulates every tap straight from the
/// zero-bordered input planes: per tap, 2 unaligned row loads, 4 broadcast weights and 8 FMAs. With 8 or more
/// output channels per group the tile is 8 channels × 2 rows (16 FMAs per 2 loads), since the unaligned loads, mostly
/// split across cache lines, are what limits it. Taps are summed in a fixed order, so results do not depend on the
/// thread count.
/// </summary>
internal static unsafe class DirectConv
{
    /// <summary>The most taps (the GEMM's k) for which the direct kernel beats the lowered GEMM.</summary>
    public const int MaxTaps = 64;

    private const int MaxChannels = 8, Width = 16;

    /// <summary>True when the direct kernel should run this forward convolution.</summary>
    public static bool Applies(in ConvPlan plan)
    {
        var g = plan.Geometry;
        return plan.Kernel.Is512 && Vector512.IsHardwareAccelerated && g.StrideH == 1 && g.StrideW == 1
               && plan.Rows <= MaxTaps && g.OutW >= Width / 2 && !plan.Pointwise;
    }

    public static void Run(ConvPlan plan, float* x, float* w, float* bias, float* y)
    {
        var g = plan.Geometry;
        int channels = plan.GroupK >= MaxChannels ? MaxChannels : 4;
        int taps = plan.Rows, blocks = (plan.GroupK + channels - 1) / channels;
        // Weights as [group][block of channels][tap][channel], zero for channels past Kg, so a tile reads the
        // weights of one tap from one place.
        float* packed = ConvScratch.Weights((long)g.Groups * blocks * taps * channels);
        for (int group = 0; group < g.Groups; group++)
        for (int k = 0; k < blocks * channels; k++)
        for (int t = 0; t < taps; t++)
            packed[(((nint)group * blocks + k / channels) * taps + t) * channels + k % channels] =
                k < plan.GroupK ? w[((nint)group * plan.GroupK + k) * taps + t] : 0f;

        long plane = (long)(g.H + 2 * g.PadH) * (g.W + 2 * g.PadW);
        plan.ForImages((_, start, end) =>
        {
            // A vector may read up to Width − 1 floats past the last row of the last plane.
            float* padded = ConvScratch.Column(plan.GroupC * plane + Width);
            new Span<float>(padded + plan.GroupC * plane, Width).Clear();
            int* offsets = stackalloc int[MaxTaps];
            Offsets(plan.Geometry, offsets);
            for (int n = start; n < end; n++)
            for (int group = 0; group < plan.Groups; group++)
            {
                float* image = x + (nint)n * plan.ImageX + (nint)group * plan.GroupC * plan.Plane;
                for (int c = 0; c < plan.GroupC; c++)
                    Im2Col.Pad(plan.Geometry, image + (nint)c * plan.Plane, padded + c * plane);
                for (int block = 0; block < blocks; block++)
                {
                    int k0 = group * plan.GroupK + block * channels, count = Math.Min(channels, plan.GroupK - block * channels);
                    float* weights = packed + ((nint)group * blocks + block) * taps * channels;
                    float* output = y + (nint)n * plan.ImageY + (nint)k0 * plan.Spatial;
                    Block(plan.Geometry, padded, offsets, taps, weights, bias == null ? null : bias + k0, channels, count,
                          output, plan.Spatial);
                }
            }
        });
    }

    // Where tap (c, i, j) sits relative to an output pixel's top-left input element in the bordered planes.
    private static void Offsets(in Conv2dGeometry g, int* offsets)
    {
        int wp = g.W + 2 * g.PadW, plane = (g.H + 2 * g.PadH) * wp, t = 0;
        for (int c = 0; c < g.GroupC; c++)
        for (int i = 0; i < g.KH; i++)
        for (int j = 0; j < g.KW; j++)
            offsets[t++] = c * plane + i * g.DilationH * wp + j * g.DilationW;
    }

    private static void Block(in Conv2dGeometry g, float* padded, int* offsets, int taps, float* weights, float* bias,
                              int channels, int count, float* y, int spatial)
    {
        int wp = g.W + 2 * g.PadW, oh = g.OutH, ow = g.OutW;
        float* tail = stackalloc float[MaxChannels * 2 * Width];
        for (int r = 0; r < oh; r += 2)
        {
            // An odd last row is computed twice over the same input and stored once.
            int second = r + 1 < oh ? wp : 0;
            for (int c0 = 0; c0 < ow; c0 += Width)
            {
                float* src = padded + (nint)r * wp + c0;
                bool full = c0 + Width <= ow;
                float* dst = full ? y + (nint)r * ow + c0 : tail;
                nint ldRow = full ? ow : Width, ldChannel = full ? spatial : 2 * Width;
                bool two = r + 1 < oh;
                if (channels == MaxChannels) Tile8(src, second, offsets, taps, weights, bias, count, dst, ldRow, ldChannel, two);
                else Tile4(src, second, offsets, taps, weights, bias, count, dst, ldRow, ldChannel, two);
                if (full) continue;
                for (int k = 0; k < count; k++)
                for (int s = 0; s < (two ? 2 : 1); s++)
                    new Span<float>(tail + k * 2 * Width + s * Width, ow - c0).CopyTo(new Span<float>(y + (nint)k * spatial + (nint)(r + s) * ow + c0, ow - c0));
            }
        }
    }

    [SkipLocalsInit]
    private static void Tile4(float* src, nint second, int* offsets, int taps, float* w, float* bias, int count,
                             float* dst, nint ldRow, nint ldChannel, bool twoRows)
    {
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
        Vector512<float> b0 = default, b1 = default, b2 = default, b3 = default;
        for (int t = 0; t < taps; t++, w += 4)
        {
            float* p = src + offsets[t];
            Vector512<float> u = Vector512.Load(p), v = Vector512.Load(p + second);
            Vector512<float> x = Vector512.Create(w[0]);
            a0 = Vector512.FusedMultiplyAdd(u, x, a0); b0 = Vector512.FusedMultiplyAdd(v, x, b0);
            x = Vector512.Create(w[1]);
            a1 = Vector512.FusedMultiplyAdd(u, x, a1); b1 = Vector512.FusedMultiplyAdd(v, x, b1);
            x = Vector512.Create(w[2]);
            a2 = Vector512.FusedMultiplyAdd(u, x, a2); b2 = Vector512.FusedMultiplyAdd(v, x, b2);
            x = Vector512.Create(w[3]);
            a3 = Vector512.FusedMultiplyAdd(u, x, a3); b3 = Vector512.FusedMultiplyAdd(v, x, b3);
        }
        Store(a0, b0, 0, bias, count, dst, ldRow, twoRows);
        Store(a1, b1, 1, bias, count, dst + ldChannel, ldRow, twoRows);
        Store(a2, b2, 2, bias, count, dst + 2 * ldChannel, ldRow, twoRows);
        Store(a3, b3, 3, bias, count, dst + 3 * ldChannel, ldRow, twoRows);
    }

    [SkipLocalsInit]
    private static void Tile8(float* src, nint second, int* offsets, int taps, float* w, float* bias, int count,
                              float* dst, nint ldRow, nint ldChannel, bool twoRows)
    {
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        Vector512<float> b0 = default, b1 = default, b2 = default, b3 = default, b4 = default, b5 = default, b6 = default, b7 = default;
        for (int t = 0; t < taps; t++, w += 8)
        {
            float* p = src + offsets[t];
            Vector512<float> u = Vector512.Load(p), v = Vector512.Load(p + second);
            Vector512<float> x = Vector512.Create(w[0]);
            a0 = Vector512.FusedMultiplyAdd(u, x, a0); b0 = Vector512.FusedMultiplyAdd(v, x, b0);
            x = Vector512.Create(w[1]);
            a1 = Vector512.FusedMultiplyAdd(u, x, a1); b1 = Vector512.FusedMultiplyAdd(v, x, b1);
            x = Vector512.Create(w[2]);
            a2 = Vector512.FusedMultiplyAdd(u, x, a2); b2 = Vector512.FusedMultiplyAdd(v, x, b2);
            x = Vector512.Create(w[3]);
            a3 = Vector512.FusedMultiplyAdd(u, x, a3); b3 = Vector512.FusedMultiplyAdd(v, x, b3);
            x = Vector512.Create(w[4]);
            a4 = Vector512.FusedMultiplyAdd(u, x, a4); b4 = Vector512.FusedMultiplyAdd(v, x, b4);
            x = Vector512.Create(w[5]);
            a5 = Vector512.FusedMultiplyAdd(u, x, a5); b5 = Vector512.FusedMultiplyAdd(v, x, b5);
            x = Vector512.Create(w[6]);
            a6 = Vector512.FusedMultiplyAdd(u, x, a6); b6 = Vector512.FusedMultiplyAdd(v, x, b6);
            x = Vector512.Create(w[7]);
            a7 = Vector512.FusedMultiplyAdd(u, x, a7); b7 = Vector512.FusedMultiplyAdd(v, x, b7);
        }
        Store(a0, b0, 0, bias, count, dst, ldRow, twoRows);
        Store(a1, b1, 1, bias, count, dst + ldChannel, ldRow, twoRows);
        Store(a2, b2, 2, bias, count, dst + 2 * ldChannel, ldRow, twoRows);
        Store(a3, b3, 3, bias, count, dst + 3 * ldChannel, ldRow, twoRows);
        Store(a4, b4, 4, bias, count, dst + 4 * ldChannel, ldRow, twoRows);
        Store(a5, b5, 5, bias, count, dst + 5 * ldChannel, ldRow, twoRows);
        Store(a6, b6, 6, bias, count, dst + 6 * ldChannel, ldRow, twoRows);
        Store(a7, b7, 7, bias, count, dst + 7 * ldChannel, ldRow, twoRows);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector512<float> first, Vector512<float> next, int k, float* bias, int count, float* dst,
                              nint ldRow, bool twoRows)
    {
        if (k >= count) return;
        var b = Vector512.Create(bias == null ? 0f : bias[k]);
        Vector512.Store(first + b, dst);
        if (twoRows) Vector512.Store(next + b, dst + ldRow);
    }
}
