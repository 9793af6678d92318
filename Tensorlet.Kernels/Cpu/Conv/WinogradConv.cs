using System.Runtime.Intrinsics;
using Tensorlet.Kernels.Cpu.Gemm;
using static Tensorlet.Kernels.Cpu.Conv.WinogradTransforms;

namespace Tensorlet.Kernels.Cpu.Conv;

/// <summary>
/// Forward convolution by Winograd F(2×2, 3×3) (<see cref="WinogradTransforms"/>): 2.25× fewer multiply-adds than
/// im2col + GEMM, for ungrouped 3×3 stride-1 layers. The filters are transformed once per call, straight into the
/// micro-kernel's packed A layout (U[ξ], [K][C] per position ξ). Each thread takes whole images, as the fused forward
/// does, and walks their 4×4 tiles (2×2 outputs each) in chunks of a few NR-wide panels that run on across images, so
/// only the batch's last panel is partly empty: it transforms a chunk's tiles straight into packed B panels
/// (V[ξ], [C][tiles]), runs the 16 GEMMs M[ξ] = U[ξ]·V[ξ] with the GEMM's own micro-kernel, and transforms M back
/// into y, adding the bias and clipping the tiles that overhang an odd-sized output. Every tile's arithmetic is fixed
/// whatever chunk it falls in, so results do not depend on the thread count.
/// </summary>
internal static unsafe class WinogradConv
{
    /// <summary>
    /// The fewest input and output channels for which <see cref="ConvAlgorithms.Auto"/> takes Winograd: below it the
    /// GEMMs are too small (k = C) to outweigh the transforms, which cost per channel what the GEMM saves.
    /// </summary>
    public const int MinChannels = 32;

    /// <summary>Ungrouped 3×3, stride 1, dilation 1, padding at most 2 (so a tile never reaches past the zero border).</summary>
    public static bool Eligible(in Conv2dGeometry g) =>
        g.Groups == 1 && g.KH == 3 && g.KW == 3 && g.StrideH == 1 && g.StrideW == 1 && g.DilationH == 1 && g.DilationW == 1
        && g.PadH <= 2 && g.PadW <= 2;

    /// <summary>True when this forward convolution runs here: eligible, and pinned to Winograd or large enough to pay.</summary>
    public static bool Chosen(in Conv2dGeometry g) => Eligible(g) && CpuConvolution.Algorithm switch
    {
        ConvAlgorithms.Winograd => true,
        ConvAlgorithms.Auto => g.C >= MinChannels && g.K >= MinChannels,
        _ => false,
    };

    public static void Run(in Conv2dGeometry g, float* x, float* w, float* bias, float* y, GemmKernel kernel)
    {
        var plan = new ConvPlan(g, kernel);
        var tiling = new WinogradTiling(g, kernel, plan.BatchParts);
        float* u = ConvScratch.Weights(Positions * tiling.PositionWeights + 16);
        TransformFilters(g, w, kernel.MR, tiling, u);
        bool wide = kernel.Is512 && Vector512.IsHardwareAccelerated;
        plan.ForImages((_, start, end) =>
        {
            if (wide) RunPart<Lanes512>(tiling, x, u, bias, y, start, end);
            else RunPart<LanesVector>(tiling, x, u, bias, y, start, end);
        });
    }

    private static void TransformFilters(in Conv2dGeometry g, float* w, int mr, in WinogradTiling tiling, float* u)
    {
        int channels = g.C;
        nint stride = tiling.PositionWeights;
        Threads.For(g.K, 16, (k0, k1) => Filters(w, k0, k1, channels, mr, stride, u));
        // Rows past K fill the last MR panel; the micro-kernel multiplies them, so they must be zero, not stale.
        for (int p = 0; p < Positions; p++)
        for (int k = g.K; k < tiling.PaddedK; k++)
        for (int c = 0; c < channels; c++)
            u[p * stride + (nint)(k / mr) * mr * channels + (nint)c * mr + k % mr] = 0f;
    }

    private static void RunPart<T>(WinogradTiling t, float* x, float* u, float* bias, float* y, int start, int end)
        where T : struct, IWinogradLanes<T>
    {
        var g = t.Geometry;
        int lanes = T.Count, chunk = t.Chunk, perImage = t.PerImage;
        float* source = ConvScratch.Column((long)t.Slots * g.C * t.Plane);
        float* v = ConvScratch.Tiles((long)Positions * g.C * chunk);
        float* m = ConvScratch.StepRows((long)Positions * t.PaddedK * chunk);
        float* stage = stackalloc float[Positions * lanes];
        float* results = stackalloc float[4 * lanes];
        int* inputs = stackalloc int[chunk];
        int* outputs = stackalloc int[chunk];
        byte* edges = stackalloc byte[chunk];
        long last = (long)end * perImage;
        int padded = start;
        for (long t0 = (long)start * perImage; t0 < last; t0 += chunk)
        {
            int valid = (int)Math.Min(chunk, last - t0);
            for (int lastImage = (int)((t0 + valid - 1) / perImage); padded <= lastImage; padded++)
                t.PadImage(x + (nint)padded * g.C * g.H * g.W, source + (nint)(padded % t.Slots) * g.C * t.Plane);
            t.Offsets(t0, valid, BlockedGemm.RoundUp(valid, lanes), inputs, outputs, edges);

            int nr = t.Kernel.NR;
            for (int q = 0; q < valid; q += lanes)
                Inputs<T>(source, inputs + q, g.C, t.Plane, t.Ld, v + (nint)(q / nr) * g.C * nr + q % nr,
                          (nint)g.C * chunk, nr, stage);
            int panels = (valid + nr - 1) / nr;
            ClearTail(v, g.C, chunk, nr, panels, BlockedGemm.RoundUp(valid, lanes));
            Multiply(t, u, v, m, panels);

            nint spatial = (nint)g.OutH * g.OutW, positionStride = (nint)t.PaddedK * chunk;
            for (int k = 0; k < g.K; k++)
            {
                float b = bias == null ? 0f : bias[k];
                float* yk = y + k * spatial;
                for (int q = 0; q < valid; q += lanes)
                {
                    Outputs<T>(m + (nint)k * chunk + q, positionStride, b, stage, results);
                    Scatter(results, lanes, Math.Min(lanes, valid - q), yk, g.OutW, outputs + q, edges + q);
                }
            }
        }
    }

    /// <summary>Zeroes the lanes of the last panel that no tile filled, so the micro-kernel never reads stale floats.</summary>
    private static void ClearTail(float* v, int channels, int chunk, int nr, int panels, int filled)
    {
        int from = filled - (panels - 1) * nr;
        if (from >= nr) return;
        for (int p = 0; p < Positions; p++)
        for (int c = 0; c < channels; c++)
            new Span<float>(v + (nint)p * channels * chunk + ((nint)(panels - 1) * channels + c) * nr + from, nr - from).Clear();
    }

    /// <summary>M[ξ] = U[ξ]·V[ξ] for the chunk's panels: the packed operands go straight to the micro-kernel, KC slice by slice.</summary>
    private static void Multiply(in WinogradTiling t, float* u, float* v, float* m, int panels)
    {
        var kernel = t.Kernel;
        var run = kernel.Run;
        int mr = kernel.MR, nr = kernel.NR, channels = t.Geometry.C, chunk = t.Chunk, kp = t.PaddedK;
        for (int p = 0; p < Positions; p++)
        {
            float* a = u + p * t.PositionWeights, b = v + (nint)p * channels * chunk, c = m + (nint)p * kp * chunk;
            for (int jp = 0; jp < panels; jp++)
            for (int pc = 0; pc < channels; pc += kernel.KC)
            {
                int kc = Math.Min(kernel.KC, channels - pc);
                float* panel = b + ((nint)jp * channels + pc) * nr;
                float beta = pc == 0 ? 0f : 1f;
                for (int i0 = 0; i0 < kp; i0 += mr)
                    run(kc, a + (nint)i0 * channels + (nint)pc * mr, panel, c + (nint)i0 * chunk + jp * nr, chunk, 1f, beta);
            }
        }
    }

    /// <summary>Writes each lane's 2×2 outputs to its tile of one output plane, leaving out a column or row past the edge.</summary>
    private static void Scatter(float* results, int lanes, int count, float* plane, int ow, int* offsets, byte* edges)
    {
        for (int l = 0; l < count; l++)
        {
            float* d = plane + offsets[l];
            int e = edges[l];
            d[0] = results[l];
            if ((e & 1) != 0) d[1] = results[lanes + l];
            if ((e & 2) == 0) continue;
            d[ow] = results[2 * lanes + l];
            if ((e & 1) != 0) d[ow + 1] = results[3 * lanes + l];
        }
    }
}
