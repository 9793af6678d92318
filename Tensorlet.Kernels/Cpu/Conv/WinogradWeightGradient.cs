using System.Runtime.Intrinsics;
using Tensorlet.Kernels.Cpu.Gemm;
using static Tensorlet.Kernels.Cpu.Conv.WinogradTransforms;

namespace Tensorlet.Kernels.Cpu.Conv;

/// <summary>
/// The weight gradient of a <see cref="WinogradConv"/> layer, by the same transforms run backwards: per tile,
/// dM = A dY Aᵀ and V = Bᵀ d B, summed over the batch's tiles as 16 GEMMs dU[ξ] += dM[ξ]·V[ξ]ᵀ (the tiles are the
/// GEMM's k), then gW = Gᵀ dU G. Each part of the tiles sums into its own dU, and the parts are added in part order,
/// so a given thread count always produces the same bits. The bias gradient sums gY per channel.
/// </summary>
internal static unsafe class WinogradWeightGradient
{
    public static void Run(in Conv2dGeometry g, float* x, float* gy, float* gw, float* gb, GemmKernel kernel)
    {
        var tiling = new WinogradTiling(g, kernel, deep: true);
        // At least one part, so an empty batch still writes zero gradients.
        int tiles = g.N * tiling.PerImage, parts = Math.Max(1, Threads.PartsFor(tiles, tiling.Chunk)), channels = g.C;
        nint positionStride = (nint)g.K * g.C;
        // Reserved by the calling thread before the workers start, so the scratch list is never grown concurrently.
        var partials = new nint[parts];
        for (int p = 0; p < parts; p++) partials[p] = (nint)ConvScratch.Partial(p, Positions * positionStride);
        bool wide = kernel.Is512 && Vector512.IsHardwareAccelerated;
        Threads.Run(parts, p =>
        {
            var (start, end) = Threads.Range(tiles, parts, p);
            if (wide) RunPart<Lanes512>(tiling, x, gy, (float*)partials[p], start, end);
            else RunPart<LanesVector>(tiling, x, gy, (float*)partials[p], start, end);
        });
        float* du = (float*)partials[0];
        for (int p = 1; p < parts; p++) ConvVectors.Add((float*)partials[p], du, (int)(Positions * positionStride));
        Threads.For(g.K, 16, (k0, k1) => FilterGradients(du, k0, k1, channels, positionStride, gw));
        if (gb != null) BiasGradient(g, gy, gb);
    }

    /// <summary>gB[k] = Σ over images of Σ gY[n, k]: one thread per channel range, images in order.</summary>
    private static void BiasGradient(in Conv2dGeometry g, float* gy, float* gb)
    {
        int n = g.N, spatial = g.OutH * g.OutW, imageY = g.K * spatial;
        Threads.For(g.K, 16, (k0, k1) =>
        {
            for (int k = k0; k < k1; k++)
            {
                float sum = 0f;
                for (int i = 0; i < n; i++) sum += ConvVectors.Sum(gy + (nint)i * imageY + (nint)k * spatial, spatial);
                gb[k] = sum;
            }
        });
    }

    private static void RunPart<T>(WinogradTiling t, float* x, float* gy, float* du, int start, int end)
        where T : struct, IWinogradLanes<T>
    {
        var g = t.Geometry;
        int lanes = T.Count, chunk = t.Chunk;
        // dM rows carry a vector of slack: a run's last vector writes past its tiles into the next run's.
        int ldm = chunk + lanes;
        nint spatial = (nint)g.OutH * g.OutW, imageY = g.K * spatial, positionStride = (nint)g.K * g.C;
        var inputs = new WinogradInputs(t, x, start, lanes);
        float* v = ConvScratch.Tiles((long)Positions * g.C * chunk);
        float* dm = ConvScratch.StepRows((long)Positions * g.K * ldm);
        // One run's two output rows, zero past the output's edge and up to a whole vector of tiles.
        float* top = stackalloc float[4 * (chunk + lanes)];
        float* bottom = top + 2 * (chunk + lanes);
        TileRun* runs = stackalloc TileRun[chunk];
        // dU[ξ] is K×C: the narrower tile where C is no multiple of the wide one's columns (64 channels in 48-wide tiles).
        var kernel = t.Kernel.For(g.K, g.C);
        new Span<float>(du, (int)(Positions * positionStride)).Clear();
        for (int t0 = start; t0 < end; t0 += chunk)
        {
            int valid = Math.Min(chunk, end - t0);
            int count = inputs.Transform<T>(t0, valid, runs, v, chunk, 0);
            for (int k = 0; k < g.K; k++)
            for (int r = 0; r < count; r++)
            {
                var run = runs[r];
                float* src = gy + run.Image * imageY + k * spatial + 2 * run.Row * g.OutW + 2 * run.Column;
                int columns = Math.Min(2 * run.Length, g.OutW - 2 * run.Column), width = 2 * BlockedGemm.RoundUp(run.Length, lanes);
                new Span<float>(top, width).Clear();
                new Span<float>(bottom, width).Clear();
                Im2Col.Copy(src, top, columns);
                if (2 * run.Row + 1 < g.OutH) Im2Col.Copy(src + g.OutW, bottom, columns);
                for (int q = 0; q < run.Length; q += lanes)
                    OutputGradients<T>(top + 2 * q, bottom + 2 * q, dm + (nint)k * ldm + run.Start + q, (nint)g.K * ldm);
            }
            for (int p = 0; p < Positions; p++)
            {
                var op = new GemmOperands
                {
                    TransA = false, TransB = true, K = valid, Alpha = 1f, Beta = 1f,
                    A = dm + p * (nint)g.K * ldm, Lda = ldm, B = v + p * (nint)g.C * chunk, Ldb = chunk,
                    C = du + p * positionStride, Ldc = g.C,
                };
                BlockedGemm.Run(op, kernel, 0, g.K, 0, g.C);
            }
        }
    }
}
