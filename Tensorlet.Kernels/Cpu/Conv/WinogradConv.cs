using System.Runtime.Intrinsics;
using Tensorlet.Kernels.Cpu.Gemm;
using static Tensorlet.Kernels.Cpu.Conv.WinogradTransforms;

namespace Tensorlet.Kernels.Cpu.Conv;

/// <summary>
/// Forward convolution by Winograd F(2×2, 3×3) (<see cref="WinogradTransforms"/>): 2.25× fewer multiply-adds than
/// im2col + GEMM, for ungrouped 3×3 stride-1 layers. The filters are transformed once per call, straight into the
/// micro-kernel's packed A layout (U[ξ], [K][C] per position ξ). Each thread takes a contiguous share of the batch's
/// 4×4 tiles (2×2 outputs each) and walks it in chunks of a few NR-wide panels that run on across images, so only a
/// share's last panel is partly empty: it transforms a chunk's tiles straight into packed B panels
/// (V[ξ], [C][tiles]), runs the 16 GEMMs M[ξ] = U[ξ]·V[ξ] with the GEMM's own micro-kernel, and transforms M back
/// into y, adding the bias and clipping the tiles that overhang an odd-sized output (on an even output, whole vectors of
/// tiles store straight into y: <see cref="IPatchSegments"/>). Every tile's arithmetic is fixed
/// whatever chunk it falls in, so results do not depend on the thread count.
/// </summary>
internal static unsafe class WinogradConv
{
    /// <summary>
    /// The fewest input channels for which <see cref="ConvAlgorithms.Auto"/> takes Winograd for a forward convolution
    /// (and, as an input gradient is a forward convolution with C and K swapped, K for the input gradient). The
    /// transforms cost per channel and tile; the GEMMs save 20 of 36 multiply-adds per channel pair. Measured against
    /// im2col at batch 64 (alternating in one process), forward and input gradient already win from 16 channels —
    /// ResNet-20's first stage — and output channels mattered little (48→12 and 64→8 gain).
    /// </summary>
    public const int MinChannels = 16;

    /// <summary>
    /// The fewest input channels for which <see cref="ConvAlgorithms.Auto"/> takes Winograd for the weight gradient.
    /// Alternating call by call at batch 64 (`Tensorlet.Benchmarks winograd-ratio 31 r20-s1,r20-s2,r20-s3`), its
    /// ratio to im2col was 0.48 at ResNet-20's 16 channels (32×32), 0.89 at 32 (16×16) and 0.94 at 64 (8×8), against
    /// 1.2–1.4 on the 64–256-channel layers b–d: so ResNet-20 keeps im2col for every weight gradient and the wide
    /// layers keep Winograd.
    /// </summary>
    public const int MinWeightGradientChannels = 64;

    /// <summary>
    /// The fewest output channels for which <see cref="ConvAlgorithms.Auto"/> takes Winograd: below one GEMM tile's rows
    /// the 16 products are mostly padding. A first layer's input gradient (64 → 3 as a forward convolution) ran 2.3×
    /// slower by Winograd than by col2im (`tensorlet bench --filter conv/a`: 5.3–5.9 ms against 2.3 ms for fwd+bwd).
    /// </summary>
    public const int MinOutputChannels = 8;

    /// <summary>
    /// The fewest 4×4 tiles (2×2 outputs each) over the whole batch for which <see cref="ConvAlgorithms.Auto"/> takes
    /// Winograd, in every pass. The filters' transform costs the same whatever the batch, and the threads split the
    /// tiles in chunks of several panels, so a layer with few tiles pays the transform for little saving, on one thread.
    /// Measured fwd+bwd at batch 64 on Zen 5 (`tensorlet bench`, two threads, alternating Auto and Im2col): VGG-11's
    /// 512-channel layers ran 3.5× slower by Winograd at 2×2 outputs (64 tiles) and 1.2× slower at 4×4 (256 tiles);
    /// at 256 tiles the other layers tried split both ways within ±10%, and from 512 tiles up (256 channels at 8×8 and
    /// batch 32, 64 at 16×16 and batch 8, 512 at 4×4 and batch 128) Winograd won by 5–35%.
    /// </summary>
    public const int MinTiles = 512;

    /// <summary>4×4 tiles of the whole batch (<see cref="WinogradTiling.TilesPerImage"/> per image).</summary>
    public static long Tiles(in Conv2dGeometry g) => (long)g.N * WinogradTiling.TilesPerImage(g);

    /// <summary>Ungrouped 3×3, stride 1, dilation 1, padding at most 2 (so a tile never reaches past the zero border).</summary>
    public static bool Eligible(in Conv2dGeometry g) =>
        g.Groups == 1 && g.KH == 3 && g.KW == 3 && g.StrideH == 1 && g.StrideW == 1 && g.DilationH == 1 && g.DilationW == 1
        && g.PadH <= 2 && g.PadW <= 2;

    /// <summary>True when this forward convolution runs here: eligible, and pinned to Winograd or large enough to pay.</summary>
    public static bool Chosen(in Conv2dGeometry g) => Pays(g, MinChannels);

    /// <summary>True when this layer's weight gradient runs by <see cref="WinogradWeightGradient"/>.</summary>
    public static bool ChosenForWeightGradient(in Conv2dGeometry g) => Pays(g, MinWeightGradientChannels);

    private static bool Pays(in Conv2dGeometry g, int minChannels) => Eligible(g) && CpuConvolution.Algorithm switch
    {
        ConvAlgorithms.Winograd => true,
        ConvAlgorithms.Auto => g.C >= minChannels && g.K >= MinOutputChannels && Tiles(g) >= MinTiles,
        _ => false,
    };

    public static void Run(in Conv2dGeometry g, float* x, float* w, float* bias, float* y, GemmKernel kernel)
    {
        var tiling = new WinogradTiling(g, kernel);
        float* u = ConvScratch.Weights(Positions * tiling.PositionWeights + 16);
        TransformFilters(g, w, kernel.MR, tiling, u);
        bool wide = kernel.Is512 && Vector512.IsHardwareAccelerated;
        // The threads split the tiles of the whole batch, at least a chunk each, so a single image is shared too.
        Threads.For(g.N * tiling.PerImage, tiling.Chunk, (start, end) =>
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

    /// <summary>Tiles [start, end) of the batch, numbered as <see cref="WinogradTiling"/> does.</summary>
    private static void RunPart<T>(WinogradTiling t, float* x, float* u, float* bias, float* y, int start, int end)
        where T : struct, IWinogradLanes<T>
    {
        var g = t.Geometry;
        int chunk = t.Chunk, nr = t.Kernel.NR;
        nint spatial = (nint)g.OutH * g.OutW, imageY = g.K * spatial;
        var inputs = new WinogradInputs(t, x, start, T.Count);
        float* v = ConvScratch.Tiles((long)Positions * g.C * chunk);
        float* m = ConvScratch.StepRows((long)Positions * t.PaddedK * chunk);
        float* top = stackalloc float[4 * chunk];
        float* bottom = top + 2 * chunk;
        TileRun* runs = stackalloc TileRun[chunk];
        float** starts = stackalloc float*[chunk];
        // Even outputs leave no tile to clip, so whole vectors of tiles can store straight into y.
        bool even = g.OutH % 2 == 0 && g.OutW % 2 == 0;
        for (int t0 = start; t0 < end; t0 += chunk)
        {
            int valid = Math.Min(chunk, end - t0);
            int count = inputs.Transform<T>(t0, valid, runs, v, nr, (nint)g.C * nr);
            int panels = (valid + nr - 1) / nr;
            ClearTail(v, g.C, chunk, nr, panels, valid);
            Multiply(t, u, v, m, panels);

            int pieces = even && valid % T.Count == 0 ? WinogradPieces.Count<T>(runs, count, nr) : 0;
            if (pieces != 0)
            {
                WinogradPieces.Starts(runs, valid, T.Count, pieces, starts, y, int.MaxValue, imageY, g.OutW);
                switch (pieces)
                {
                    case 1: Outputs<T, WholeVector>(t, m, bias, starts, valid / T.Count); break;
                    case 2: Outputs<T, HalfVectors>(t, m, bias, starts, valid / T.Count); break;
                    default: Outputs<T, QuarterVectors>(t, m, bias, starts, valid / T.Count); break;
                }
                continue;
            }
            for (int k = 0; k < g.K; k++)
            {
                OutputTiles<T>(m + (nint)k * chunk, (nint)t.PaddedK * chunk, valid, bias == null ? 0f : bias[k], top, bottom);
                for (int r = 0; r < count; r++)
                {
                    var run = runs[r];
                    float* dst = y + run.Image * imageY + k * spatial + 2 * run.Row * g.OutW + 2 * run.Column;
                    // The last tile of a row, or of the image, may overhang an odd output by a column or a row.
                    int columns = Math.Min(2 * run.Length, g.OutW - 2 * run.Column);
                    Im2Col.Copy(top + 2 * run.Start, dst, columns);
                    if (2 * run.Row + 1 < g.OutH) Im2Col.Copy(bottom + 2 * run.Start, dst + g.OutW, columns);
                }
            }
        }
    }

    /// <summary>
    /// Y = Aᵀ M A + bias for a chunk of whole vectors of tiles, each stored straight into y through the pieces' starts
    /// (channel 0's), instead of through the staged rows and a copy per run and row.
    /// </summary>
    private static void Outputs<T, TS>(in WinogradTiling t, float* m, float* bias, float** starts, int vectors)
        where T : struct, IWinogradLanes<T> where TS : struct, IPatchSegments
    {
        var g = t.Geometry;
        int chunk = t.Chunk, n = T.Count;
        nint spatial = (nint)g.OutH * g.OutW, positionStride = (nint)t.PaddedK * chunk;
        for (int k = 0; k < g.K; k++)
        {
            T b = T.Broadcast(bias == null ? 0f : bias[k]);
            for (int j = 0; j < vectors; j++)
                OutputVector<T, TS>(m + (nint)k * chunk + j * n, positionStride, b, starts + j * TS.Count, k * spatial, g.OutW);
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
}
