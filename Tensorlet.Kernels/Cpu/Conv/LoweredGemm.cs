using Tensorlet.Kernels.Cpu.Gemm;

namespace Tensorlet.Kernels.Cpu.Conv;

/// <summary>
/// The forward GEMM Y_g = W_g · col_g with the lowering fused into the packing of B: each NR-column micro-panel of
/// the lowered images is built straight from the (zero-bordered) input planes into an L1-sized buffer, and the
/// GEMM's own micro-kernel consumes it at once. col is never written out and B is never packed a second time.
/// The weights are packed into MR-row micro-panels once per call and shared by every thread. Output tiles go to
/// scratch rows padded to whole MR×NR tiles, so the micro-kernel never needs an edge path.
/// </summary>
internal static unsafe class LoweredGemm
{
    /// <summary>Whole MR tiles covering Kg rows: the row count of one group's packed weights and output scratch.</summary>
    public static int PaddedRows(in ConvPlan plan) => BlockedGemm.RoundUp(plan.GroupK, plan.Kernel.MR);

    /// <summary>Whole NR panels covering one step's columns: the leading dimension of the output scratch.</summary>
    public static int PaddedColumns(in ConvPlan plan) => BlockedGemm.RoundUp(plan.StepColumns, plan.Kernel.NR);

    /// <summary>Packs every group's weights, KC slice by slice, into the micro-kernel's A layout (in the caller's scratch).</summary>
    public static float* PackWeights(in ConvPlan plan, float* w)
    {
        var kernel = plan.Kernel;
        int mp = PaddedRows(plan), rows = plan.Rows;
        // Interleaving may write a few floats past the last panel.
        float* packed = ConvScratch.Weights((long)plan.Groups * mp * rows + 16);
        for (int group = 0; group < plan.Groups; group++)
        for (int pc = 0; pc < rows; pc += kernel.KC)
        {
            int kc = Math.Min(kernel.KC, rows - pc);
            Packing.PackA(false, w + (nint)group * plan.GroupWeights, rows, 0, plan.GroupK, pc, kc, kernel.MR,
                          packed + (nint)group * mp * rows + (nint)mp * pc);
        }
        return packed;
    }

    /// <summary>
    /// out[PaddedRows, PaddedColumns] = W_g · lowered(source), where source holds <paramref name="count"/> images'
    /// Cg planes of the group (plane after plane, <paramref name="imageStride"/> apart, rows <paramref name="ld"/> wide),
    /// already bordered by the padding (or unpadded when the convolution has none).
    /// </summary>
    public static void Multiply(in ConvPlan plan, float* packedW, float* source, int count, nint imageStride, int ld,
                                int planeStride, float* output)
    {
        var kernel = plan.Kernel;
        var run = kernel.Run;
        var g = plan.Geometry;
        int mr = kernel.MR, nr = kernel.NR, mp = PaddedRows(plan), rows = plan.Rows, ldOut = PaddedColumns(plan);
        int columns = count * plan.Spatial;
        float* panel = ConvScratch.Panel((long)Math.Min(kernel.KC, rows) * nr);
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

        for (int j0 = 0; j0 < columns; j0 += nr)
        {
            int segments = Segments(plan, j0, Math.Min(nr, columns - j0), imageStride, ld, segSrc, segDst, segLen);
            int valid = Math.Min(nr, columns - j0);
            for (int pc = 0; pc < rows; pc += kernel.KC)
            {
                int kc = Math.Min(kernel.KC, rows - pc);
                PackPanel(g.StrideW, source, taps + pc, kc, nr, valid, segments, segSrc, segDst, segLen, panel);
                float* a = packedW + (nint)mp * pc;
                float beta = pc == 0 ? 0f : 1f;
                for (int i0 = 0; i0 < mp; i0 += mr)
                    run(kc, a + (nint)i0 * kc, panel, output + (nint)i0 * ldOut + j0, ldOut, 1f, beta);
            }
        }
        GC.KeepAlive(tapArray);
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
