namespace Tensorlet.Kernels.Cpu.Conv;

/// <summary>
/// Forward convolution as im2col + GEMM: per step of images and per group, Y_g = W_g · col_g (+ bias). The bias
/// is written into the GEMM's destination first and the GEMM accumulates onto it (β = 1), which saves a separate
/// pass over the output. Batched steps compute into scratch rows [Kg, images·OH·OW] and copy them out per image.
/// </summary>
internal static unsafe class ConvForward
{
    public static void Run(in Conv2dGeometry g, float* x, float* w, float* bias, float* y)
    {
        var plan = new ConvPlan(g);
        plan.ForImages((_, start, end) =>
        {
            float* col = ConvScratch.Column(plan.ColumnFloats);
            float* rows = ConvScratch.StepRows(plan.StepOutputFloats);
            for (int n = start; n < end; n += plan.ImagesPerStep)
            {
                int count = Math.Min(plan.ImagesPerStep, end - n);
                Step(plan, x + (nint)n * plan.ImageX, count, w, bias, y + (nint)n * plan.ImageY, col, rows);
            }
        });
    }

    private static void Step(in ConvPlan plan, float* x, int count, float* w, float* bias, float* y, float* col, float* rows)
    {
        bool batched = plan.ImagesPerStep > 1;
        int ld = batched ? plan.StepColumns : plan.Spatial, columns = count * plan.Spatial;
        for (int group = 0; group < plan.Groups; group++)
        {
            float* dst = batched ? rows : y + (nint)group * plan.GroupK * plan.Spatial;
            if (bias != null)
                for (int k = 0; k < plan.GroupK; k++) new Span<float>(dst + (nint)k * ld, columns).Fill(bias[group * plan.GroupK + k]);
            float* b = x + (nint)group * plan.GroupC * plan.Plane;
            if (!plan.Pointwise)
            {
                plan.Lower(x, count, group, col);
                b = col;
            }
            ConvGemm.Multiply(false, false, plan.GroupK, columns, plan.Rows, w + (nint)group * plan.GroupWeights, plan.Rows,
                              b, ld, bias != null ? 1f : 0f, dst, ld);
            if (batched) plan.MoveRows(y, count, group, rows, toStep: false);
        }
    }
}
