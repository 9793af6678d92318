using Tensorlet.Kernels.Cpu.Gemm;

namespace Tensorlet.Kernels.Cpu.Conv;

/// <summary>
/// Input gradient as GEMM + col2im: per step of images and per group, gcol_g = W_gᵀ · gY_g is the gradient of the
/// lowered images, and col2im sums each of its entries back onto the pixel it was read from. For pointwise
/// convolutions the lowered image is the image, so the GEMM writes gX directly.
/// </summary>
internal static unsafe class ConvBackwardInput
{
    public static void Run(in Conv2dGeometry g, float* gy, float* w, float* gx, GemmKernel kernel)
    {
        var plan = new ConvPlan(g, kernel);
        plan.ForImages((_, start, end) =>
        {
            float* col = ConvScratch.Column(plan.ColumnFloats);
            float* rows = ConvScratch.StepRows(plan.StepRowsFloats);
            for (int n = start; n < end; n += plan.ImagesPerStep)
            {
                int count = Math.Min(plan.ImagesPerStep, end - n);
                Step(plan, gy + (nint)n * plan.ImageY, count, w, gx + (nint)n * plan.ImageX, col, rows);
            }
        });
    }

    private static void Step(in ConvPlan plan, float* gy, int count, float* w, float* gx, float* col, float* rows)
    {
        bool batched = plan.ImagesPerStep > 1;
        int ld = batched ? plan.StepColumns : plan.Spatial, columns = count * plan.Spatial;
        for (int group = 0; group < plan.Groups; group++)
        {
            float* wg = w + (nint)group * plan.GroupWeights;
            float* gyg = gy + (nint)group * plan.GroupK * plan.Spatial;
            if (batched)
            {
                plan.GatherRows(gy, count, group, rows);
                gyg = rows;
            }
            float* gxg = gx + (nint)group * plan.GroupC * plan.Plane;
            if (plan.Pointwise)
            {
                ConvGemm.Multiply(plan.Kernel, true, false, plan.GroupC, columns, plan.GroupK, wg, plan.Rows, gyg, ld, 0f, gxg, plan.Plane);
                continue;
            }
            ConvGemm.Multiply(plan.Kernel, true, false, plan.Rows, columns, plan.GroupK, wg, plan.Rows, gyg, ld, 0f, col, plan.StepColumns);
            plan.Fold(col, count, group, gx);
        }
    }
}
