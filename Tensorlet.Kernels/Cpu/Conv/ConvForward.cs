using Tensorlet.Kernels.Cpu.Gemm;

namespace Tensorlet.Kernels.Cpu.Conv;

/// <summary>
/// Forward convolution, Y_g = W_g · col_g (+ bias) per step of images and per group, unless the direct kernel
/// (few taps) or <see cref="WinogradConv"/> (3×3, stride 1, enough channels) takes it. Three GEMM routes:
/// pointwise convolutions multiply the image itself (bias put into y first, the GEMM accumulating onto it with
/// β = 1); otherwise, with whole images per thread, <see cref="LoweredGemm"/> lowers straight into the GEMM's packed
/// panels; with too few images to split, im2col feeds the threaded <see cref="Sgemm"/>. The last two compute into
/// scratch rows and add the bias as they copy them out.
/// </summary>
internal static unsafe class ConvForward
{
    /// <summary>Images of x lie <paramref name="imageX"/> apart and those of y <paramref name="imageY"/> apart (null: dense).</summary>
    public static void Run(in Conv2dGeometry g, float* x, float* w, float* bias, float* y, GemmKernel kernel, int? imageX = null, int? imageY = null)
    {
        var plan = new ConvPlan(g, kernel, imageX, imageY);
        if (DirectConv.Applies(plan))
        {
            DirectConv.Run(plan, x, w, bias, y);
            return;
        }
        if (WinogradConv.Chosen(g) && plan.DenseImages)
        {
            WinogradConv.Run(g, x, w, bias, y, kernel);
            return;
        }
        bool fused = plan.FusedForward;
        float* packed = fused ? LoweredGemm.PackWeights(plan, w) : null;
        long rowsFloats = fused ? (long)LoweredGemm.PaddedRows(plan) * LoweredGemm.PaddedColumns(plan) : plan.StepRowsFloats;
        long sourceFloats = fused && (g.PadH > 0 || g.PadW > 0) ? Im2Col.PaddedPlane(g) * plan.GroupC * plan.ImagesPerStep : 0;
        plan.ForImages((_, start, end) =>
        {
            float* rows = ConvScratch.StepRows(rowsFloats);
            float* scratch = fused ? ConvScratch.Column(sourceFloats) : ConvScratch.Column(plan.ColumnFloats);
            for (int n = start; n < end; n += plan.ImagesPerStep)
            {
                int count = Math.Min(plan.ImagesPerStep, end - n);
                float* xs = x + (nint)n * plan.ImageX, ys = y + (nint)n * plan.ImageY;
                for (int group = 0; group < plan.Groups; group++)
                {
                    if (fused) FusedStep(plan, xs, count, group, packed, bias, ys, scratch, rows);
                    else if (plan.Pointwise) PointwiseStep(plan, xs, group, w, bias, ys);
                    else LoweredStep(plan, xs, count, group, w, bias, ys, scratch, rows);
                }
            }
        });
    }

    private static void FusedStep(in ConvPlan plan, float* x, int count, int group, float* packed, float* bias, float* y,
                                  float* padded, float* rows)
    {
        var g = plan.Geometry;
        float* source = x + (nint)group * plan.GroupC * plan.Plane;
        nint imageStride = plan.ImageX;
        int ld = g.W, planeStride = plan.Plane;
        var gather = LoweredGemm.GatherFor(plan);
        if (gather == null && (g.PadH > 0 || g.PadW > 0))
        {
            plan.PadGroup(x, count, group, padded);
            source = padded;
            ld = g.W + 2 * g.PadW;
            planeStride = (int)Im2Col.PaddedPlane(g);
            imageStride = (nint)planeStride * plan.GroupC;
        }
        int mp = LoweredGemm.PaddedRows(plan);
        LoweredGemm.Multiply(plan, packed + (nint)group * mp * plan.Rows, source, count, imageStride, ld, planeStride, gather, rows);
        plan.ScatterRows(rows, LoweredGemm.PaddedColumns(plan), count, group, y, bias);
    }

    private static void PointwiseStep(in ConvPlan plan, float* x, int group, float* w, float* bias, float* y)
    {
        int spatial = plan.Spatial;
        float* dst = y + (nint)group * plan.GroupK * spatial;
        if (bias != null)
            for (int k = 0; k < plan.GroupK; k++) new Span<float>(dst + (nint)k * spatial, spatial).Fill(bias[group * plan.GroupK + k]);
        ConvGemm.Multiply(plan.Kernel, false, false, plan.GroupK, spatial, plan.Rows, w + (nint)group * plan.GroupWeights, plan.Rows,
                          x + (nint)group * plan.GroupC * plan.Plane, spatial, bias != null ? 1f : 0f, dst, spatial);
    }

    private static void LoweredStep(in ConvPlan plan, float* x, int count, int group, float* w, float* bias, float* y,
                                    float* col, float* rows)
    {
        bool batched = plan.ImagesPerStep > 1;
        float* dst = batched ? rows : y + (nint)group * plan.GroupK * plan.Spatial;
        int ld = batched ? plan.StepColumns : plan.Spatial;
        plan.Lower(x, count, group, col);
        ConvGemm.Multiply(plan.Kernel, false, false, plan.GroupK, count * plan.Spatial, plan.Rows, w + (nint)group * plan.GroupWeights,
                          plan.Rows, col, plan.StepColumns, 0f, dst, ld);
        if (batched) plan.ScatterRows(rows, ld, count, group, y, bias);
        else if (bias != null)
            for (int k = 0; k < plan.GroupK; k++)
            {
                float* row = dst + (nint)k * ld;
                ConvVectors.AddScalar(row, bias[group * plan.GroupK + k], row, plan.Spatial);
            }
    }
}
