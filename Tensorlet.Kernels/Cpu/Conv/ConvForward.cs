namespace Tensorlet.Kernels.Cpu.Conv;

/// <summary>
/// Forward convolution as im2col + GEMM: per step of images and per group, Y_g = W_g · col_g (+ bias). Writing
/// straight into y, the bias is put there first and the GEMM accumulates onto it (β = 1), saving a pass over the
/// output; batched or row-padded steps compute into scratch rows and add the bias as they copy them out.
/// </summary>
internal static unsafe class ConvForward
{
    public static void Run(in Conv2dGeometry g, float* x, float* w, float* bias, float* y)
    {
        var plan = new ConvPlan(g);
        float* weights = PadWeights(plan, w);
        plan.ForImages((_, start, end) =>
        {
            float* col = ConvScratch.Column(plan.ColumnFloats);
            float* rows = ConvScratch.StepRows(plan.StepOutputFloats);
            for (int n = start; n < end; n += plan.ImagesPerStep)
            {
                int count = Math.Min(plan.ImagesPerStep, end - n);
                Step(plan, x + (nint)n * plan.ImageX, count, weights, bias, y + (nint)n * plan.ImageY, col, rows);
            }
        });
    }

    private static void Step(in ConvPlan plan, float* x, int count, float* w, float* bias, float* y, float* col, float* rows)
    {
        bool viaRows = plan.ForwardViaRows;
        int ld = plan.ImagesPerStep > 1 ? plan.StepColumns : plan.Spatial, columns = count * plan.Spatial;
        int m = plan.PaddedGroupK;
        for (int group = 0; group < plan.Groups; group++)
        {
            float* dst = viaRows ? rows : y + (nint)group * plan.GroupK * plan.Spatial;
            bool prefill = bias != null && !viaRows;
            if (prefill)
                for (int k = 0; k < plan.GroupK; k++) new Span<float>(dst + (nint)k * ld, columns).Fill(bias[group * plan.GroupK + k]);
            float* b = x + (nint)group * plan.GroupC * plan.Plane;
            if (!plan.Pointwise)
            {
                plan.Lower(x, count, group, col);
                b = col;
            }
            ConvGemm.Multiply(false, false, m, columns, plan.Rows, w + (nint)group * m * plan.Rows, plan.Rows,
                              b, ld, prefill ? 1f : 0f, dst, viaRows ? plan.StepColumns : ld);
            if (viaRows) plan.ScatterRows(rows, count, group, y, bias);
        }
    }

    /// <summary>
    /// The weights with each group's Kg rows followed by zero rows up to <see cref="ConvPlan.PaddedGroupK"/>, in the
    /// calling thread's scratch (shared read-only by the workers); the weights themselves when no padding is needed.
    /// </summary>
    private static float* PadWeights(in ConvPlan plan, float* w)
    {
        int m = plan.PaddedGroupK, kg = plan.GroupK, rows = plan.Rows;
        if (m == kg) return w;
        float* padded = ConvScratch.Weights((long)plan.Groups * m * rows);
        for (int group = 0; group < plan.Groups; group++)
        {
            float* dst = padded + (nint)group * m * rows;
            new ReadOnlySpan<float>(w + (nint)group * kg * rows, kg * rows).CopyTo(new Span<float>(dst, kg * rows));
            new Span<float>(dst + (nint)kg * rows, (m - kg) * rows).Clear();
        }
        return padded;
    }
}
