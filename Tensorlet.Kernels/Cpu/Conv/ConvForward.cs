namespace Tensorlet.Kernels.Cpu.Conv;

/// <summary>
/// Forward convolution as im2col + GEMM: per image and group, Y_g = W_g · col_g (+ bias). The bias is written
/// into Y first and the GEMM accumulates onto it (β = 1), which saves a separate pass over the output.
/// </summary>
internal static unsafe class ConvForward
{
    public static void Run(in Conv2dGeometry g, float* x, float* w, float* bias, float* y)
    {
        var plan = new ConvPlan(g);
        plan.ForImages((_, start, end) =>
        {
            float* col = ConvScratch.Column(plan.ColumnFloats);
            for (int n = start; n < end; n++)
                Image(plan, x + (nint)n * plan.ImageX, w, bias, y + (nint)n * plan.ImageY, col);
        });
    }

    private static void Image(in ConvPlan plan, float* x, float* w, float* bias, float* y, float* col)
    {
        int spatial = plan.Spatial;
        if (bias != null)
            for (int k = 0; k < plan.Geometry.K; k++) new Span<float>(y + (nint)k * spatial, spatial).Fill(bias[k]);
        for (int group = 0; group < plan.Groups; group++)
        {
            float* xg = x + (nint)group * plan.GroupC * plan.Plane;
            float* b = xg;
            if (!plan.Pointwise)
            {
                Im2Col.Lower(plan.Geometry, xg, plan.GroupC, col, spatial);
                b = col;
            }
            ConvGemm.Multiply(false, false, plan.GroupK, spatial, plan.Rows,
                              w + (nint)group * plan.GroupWeights, plan.Rows, b, spatial,
                              bias != null ? 1f : 0f, y + (nint)group * plan.GroupK * spatial, spatial);
        }
    }
}
