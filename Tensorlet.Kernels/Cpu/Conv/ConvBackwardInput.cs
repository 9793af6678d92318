namespace Tensorlet.Kernels.Cpu.Conv;

/// <summary>
/// Input gradient as GEMM + col2im: per image and group, gcol_g = W_gᵀ · gY_g is the gradient of the lowered
/// image, and col2im sums each of its entries back onto the pixel it was read from. For pointwise convolutions
/// the lowered image is the image, so the GEMM writes gX directly.
/// </summary>
internal static unsafe class ConvBackwardInput
{
    public static void Run(in Conv2dGeometry g, float* gy, float* w, float* gx)
    {
        var plan = new ConvPlan(g);
        plan.ForImages((_, start, end) =>
        {
            float* col = ConvScratch.Column(plan.ColumnFloats);
            for (int n = start; n < end; n++)
                Image(plan, gy + (nint)n * plan.ImageY, w, gx + (nint)n * plan.ImageX, col);
        });
    }

    private static void Image(in ConvPlan plan, float* gy, float* w, float* gx, float* col)
    {
        int spatial = plan.Spatial;
        if (!plan.Pointwise) new Span<float>(gx, plan.ImageX).Clear();
        for (int group = 0; group < plan.Groups; group++)
        {
            float* wg = w + (nint)group * plan.GroupWeights;
            float* gyg = gy + (nint)group * plan.GroupK * spatial;
            float* gxg = gx + (nint)group * plan.GroupC * plan.Plane;
            if (plan.Pointwise)
            {
                ConvGemm.Multiply(true, false, plan.GroupC, spatial, plan.GroupK, wg, plan.Rows, gyg, spatial, 0f, gxg, plan.Plane);
                continue;
            }
            ConvGemm.Multiply(true, false, plan.Rows, spatial, plan.GroupK, wg, plan.Rows, gyg, spatial, 0f, col, spatial);
            Col2Im.Accumulate(plan.Geometry, col, spatial, plan.GroupC, gxg);
        }
    }
}
