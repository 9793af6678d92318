using Tensorlet.Kernels.Cpu.Gemm;

namespace Tensorlet.Kernels.Cpu.Conv;

/// <summary>
/// The forward GEMM Y_g = W_g · col_g with the lowering fused into the packing of B: each KC×NC block of the lowered
/// images is built straight from the (zero-bordered) input planes into the GEMM's packed layout, and the GEMM's own
/// micro-kernel consumes it. col is never written out and B is never packed a second time.
/// The weights are packed into MR-row micro-panels once per call and shared by every thread. Output tiles go to
/// scratch rows padded to whole MR×NR tiles, so the micro-kernel never needs an edge path.
/// </summary>
internal static unsafe class LoweredGemm
{
    /// <summary>Whole MR tiles covering Kg rows: the row count of one group's packed weights and output scratch.</summary>
    public static int PaddedRows(in ConvPlan plan) => BlockedGemm.RoundUp(plan.GroupK, plan.Kernel.MR);

    /// <summary>Whole NR panels covering one step's columns: the leading dimension of the output scratch.</summary>
    public static int PaddedColumns(in ConvPlan plan) => BlockedGemm.RoundUp(plan.StepColumns, plan.Kernel.NR);

    /// <summary>Row tiles one thread packs at the least: fewer are not worth a wake-up.</summary>
    private const int MinTilesPerPart = 8;

    /// <summary>
    /// Packs every group's weights, KC slice by slice, into the micro-kernel's A layout (in the caller's scratch),
    /// MR-row tiles split over the threads: for a 512-channel layer on a 4×4 map the packing alone took a serial
    /// millisecond beside 8 ms of multiply-adds per thread.
    /// </summary>
    public static float* PackWeights(in ConvPlan plan, float* w)
    {
        var kernel = plan.Kernel;
        int mr = kernel.MR, kcMax = kernel.KC, mp = PaddedRows(plan), rows = plan.Rows, groupK = plan.GroupK;
        int tiles = mp / mr, groupWeights = plan.GroupWeights;
        // Interleaving may write a few floats past the last panel.
        float* packed = ConvScratch.Weights((long)plan.Groups * mp * rows + 16);
        // Rows [i0, i0 + mc) of one group's KC slice starting at column pc.
        void PackRows(int group, int i0, int mc, int pc)
        {
            int kc = Math.Min(kcMax, rows - pc);
            Packing.PackA(false, w + (nint)group * groupWeights, rows, i0, mc, pc, kc, mr,
                          packed + (nint)group * mp * rows + (nint)mp * pc + (nint)i0 * kc);
        }
        // A tile whose MR is no multiple of 8 is interleaved with stores that spill into the floats packed next (the
        // next tile, or the next slice's first), rewritten right after: only safe packed in memory order, by one thread.
        if (mr % 8 != 0)
        {
            for (int group = 0; group < plan.Groups; group++)
            for (int pc = 0; pc < rows; pc += kcMax) PackRows(group, 0, groupK, pc);
            return packed;
        }
        Threads.For(plan.Groups * tiles, MinTilesPerPart, (s, e) =>
        {
            for (int t = s; t < e; t++)
            {
                int group = t / tiles, i0 = t % tiles * mr;
                for (int pc = 0; pc < rows; pc += kcMax) PackRows(group, i0, Math.Min(mr, groupK - i0), pc);
            }
        });
        return packed;
    }

    /// <summary>
    /// out[PaddedRows, PaddedColumns] = W_g · lowered(source), where source holds <paramref name="count"/> images'
    /// Cg planes of the group (plane after plane, <paramref name="imageStride"/> apart, rows <paramref name="ld"/> wide),
    /// already bordered by the padding or unpadded when the convolution has none — or, with a
    /// <paramref name="gather"/> (<see cref="GatherFor"/>), the group's unbordered planes.
    /// </summary>
    /// <remarks>
    /// The GotoBLAS loop order: each KC slice of up to NC lowered columns is packed once into a block, then swept by
    /// MC-row blocks of the weights, so a weight block is reused from L2 across the whole block. Walking panel by
    /// panel instead streamed all of a 512-channel layer's weights (9 MiB) from L3 once per 48 columns: 28–35% slower
    /// for 512→512 on 4×4 maps.
    /// </remarks>
    public static void Multiply(in ConvPlan plan, float* packedW, float* source, int count, nint imageStride, int ld,
                                int planeStride, SmallPlaneGather? gather, float* output)
    {
        var kernel = plan.Kernel;
        var run = kernel.Run;
        var g = plan.Geometry;
        int mr = kernel.MR, nr = kernel.NR, mp = PaddedRows(plan), rows = plan.Rows, ldOut = PaddedColumns(plan);
        int columns = count * plan.Spatial;
        int ncMax = Math.Min(kernel.NC / nr * nr, BlockedGemm.RoundUp(columns, nr));
        float* block = ConvScratch.Panel((long)Math.Min(kernel.KC, rows) * ncMax);
        // Where tap p = (c, i, j) starts relative to an output position's top-left input element.
        // Pinned when too large for the stack, so the pointer stays valid for the whole loop.
        int[] tapArray = rows <= 4096 ? [] : GC.AllocateUninitializedArray<int>(rows, pinned: true);
        int* taps = stackalloc int[rows <= 4096 ? rows : 0];
        if (rows > 4096) taps = (int*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref tapArray[0]);
        for (int c = 0, p = 0; c < plan.GroupC; c++)
        for (int i = 0; i < g.KH; i++)
        for (int j = 0; j < g.KW; j++)
            taps[p++] = c * planeStride + i * g.DilationH * ld + j * g.DilationW;
        int* segSrc = stackalloc int[nr];
        int* segDst = stackalloc int[nr];
        int* segLen = stackalloc int[nr];

        for (int jc = 0; jc < columns; jc += ncMax)
        {
            int nc = Math.Min(ncMax, columns - jc);
            for (int pc = 0; pc < rows; pc += kernel.KC)
            {
                int kc = Math.Min(kernel.KC, rows - pc);
                for (int q = 0; q < nc; q += nr)
                {
                    int valid = Math.Min(nr, nc - q);
                    float* panel = block + (nint)q * kc;
                    if (gather != null)
                    {
                        PackImages(gather, source + (jc + q) / plan.Spatial * imageStride, imageStride, planeStride,
                                   g.KH * g.KW, pc, kc, nr, valid / plan.Spatial, panel);
                        continue;
                    }
                    int segments = Segments(plan, jc + q, valid, imageStride, ld, segSrc, segDst, segLen);
                    PackPanel(g.StrideW, source, taps + pc, kc, nr, valid, segments, segSrc, segDst, segLen, panel);
                }
                float* a = packedW + (nint)mp * pc;
                float beta = pc == 0 ? 0f : 1f;
                for (int ic = 0; ic < mp; ic += kernel.MC)
                {
                    int icEnd = Math.Min(mp, ic + kernel.MC);
                    for (int q = 0; q < nc; q += nr)
                    for (int i0 = ic; i0 < icEnd; i0 += mr)
                        run(kc, a + (nint)i0 * kc, block + (nint)q * kc, output + (nint)i0 * ldOut + jc + q, ldOut, 1f, beta);
                }
            }
        }
        GC.KeepAlive(tapArray);
    }

    /// <summary>
    /// The gather the fused forward lowers with (then it borders no plane): <see cref="ConvPlan.Gather"/> where each
    /// NR-column panel holds whole images; else null.
    /// </summary>
    public static SmallPlaneGather? GatherFor(in ConvPlan plan) =>
        plan.Gather != null && plan.Kernel.NR % plan.Spatial == 0 ? plan.Gather : null;

    /// <summary>
    /// Rows [pc, pc + kc) of a panel of <paramref name="images"/> whole images (OH·OW columns each, the first at
    /// <paramref name="source"/>), zero past them, by <see cref="SmallPlaneGather"/>.
    /// </summary>
    private static void PackImages(SmallPlaneGather gather, float* source, nint imageStride, int planeStride, int taps,
                                   int pc, int kc, int nr, int images, float* panel)
    {
        int spatial = gather.Spatial;
        for (int p = 0; p < kc; p++, panel += nr)
        {
            int row = pc + p;
            float* plane = source + (nint)(row / taps) * planeStride;
            int tap = row % taps;
            for (int m = 0; m < images; m++) gather.Run(plane + m * imageStride, tap, panel + m * spatial);
            for (int t = images * spatial; t < nr; t++) panel[t] = 0f;
        }
    }

    /// <summary>
    /// Splits panel columns [j0, j0 + n) into runs that read consecutive input elements (one run per output row
    /// touched): run s fills panel columns [dst, dst + len) from source offsets src, src + sW, ...
    /// </summary>
    private static int Segments(in ConvPlan plan, int j0, int n, nint imageStride, int ld, int* src, int* dst, int* len)
    {
        var g = plan.Geometry;
        int ow = g.OutW, count = 0;
        for (int q = 0; q < n;)
        {
            int column = j0 + q, image = column / plan.Spatial, pos = column % plan.Spatial;
            int oh = pos / ow, x = pos % ow;
            int run = Math.Min(n - q, ow - x);
            src[count] = (int)(image * imageStride) + oh * g.StrideH * ld + x * g.StrideW;
            dst[count] = q;
            len[count++] = run;
            q += run;
        }
        return count;
    }

    private static void PackPanel(int strideW, float* source, int* taps, int kc, int nr, int valid, int segments,
                                  int* segSrc, int* segDst, int* segLen, float* panel)
    {
        for (int p = 0; p < kc; p++, panel += nr)
        {
            float* tap = source + taps[p];
            for (int s = 0; s < segments; s++)
            {
                float* from = tap + segSrc[s], to = panel + segDst[s];
                int n = segLen[s];
                if (strideW == 1) Im2Col.Copy(from, to, n);
                else for (int t = 0; t < n; t++) to[t] = from[t * strideW];
            }
            for (int t = valid; t < nr; t++) panel[t] = 0f;
        }
    }
}
