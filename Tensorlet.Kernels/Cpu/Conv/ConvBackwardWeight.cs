using Tensorlet.Kernels.Cpu.Gemm;

namespace Tensorlet.Kernels.Cpu.Conv;

/// <summary>
/// Weight and bias gradients: per image and group, gW_g += gY_g · col_gᵀ, and gB[k] += Σ gY[k, :]. Each part of
/// the batch accumulates into its own buffer (part 0 straight into the output), and the parts are then added in
/// part order, so a given thread count always produces the same bits. Layers that run forward by Winograd take
/// its gradient (<see cref="WinogradWeightGradient"/>).
/// </summary>
internal static unsafe class ConvBackwardWeight
{
    /// <summary>Images of x lie <paramref name="imageX"/> apart and those of gY <paramref name="imageY"/> apart (null: dense).</summary>
    public static void Run(in Conv2dGeometry g, float* x, float* gy, float* gw, float* gb, GemmKernel kernel, int? imageX = null, int? imageY = null)
    {
        var plan = new ConvPlan(g, kernel, imageX, imageY);
        if (WinogradConv.ChosenForWeightGradient(g) && plan.DenseImages)
        {
            WinogradWeightGradient.Run(g, x, gy, gw, gb, kernel);
            return;
        }
        if (DirectWeightGradient.Applies(plan))
        {
            DirectWeightGradient.Run(plan, x, gy, gw, gb);
            return;
        }
        int weights = plan.Groups * plan.GroupWeights, k = g.K;
        long partFloats = weights + (gb != null ? k : 0);
        // Reserved by the calling thread before the workers start, so the scratch list is never grown concurrently.
        var partials = new nint[plan.BatchParts];
        for (int p = 1; p < partials.Length; p++) partials[p] = (nint)ConvScratch.Partial(p, partFloats);

        plan.ForImages((p, start, end) =>
        {
            float* dw = p == 0 ? gw : (float*)partials[p];
            float* db = gb == null ? null : p == 0 ? gb : dw + weights;
            new Span<float>(dw, weights).Clear();
            if (db != null) new Span<float>(db, k).Clear();
            float* col = ConvScratch.Column(plan.ColumnFloats);
            float* rows = ConvScratch.StepRows(plan.StepRowsFloats);
            for (int n = start; n < end; n += plan.ImagesPerStep)
            {
                int count = Math.Min(plan.ImagesPerStep, end - n);
                Step(plan, x + (nint)n * plan.ImageX, gy + (nint)n * plan.ImageY, count, dw, db, col, rows);
            }
        });

        if (partials.Length < 2) return;
        // Split by weight over the threads (2.4M weights of a 512-channel 3×3 layer took half a serial millisecond);
        // each weight still adds the parts in part order.
        Threads.For(weights, 1 << 15, (s, e) =>
        {
            for (int p = 1; p < partials.Length; p++) ConvVectors.Add((float*)partials[p] + s, gw + s, e - s);
        });
        if (gb != null)
            for (int p = 1; p < partials.Length; p++) ConvVectors.Add((float*)partials[p] + weights, gb, k);
    }

    private static void Step(in ConvPlan plan, float* x, float* gy, int count, float* dw, float* db, float* col, float* rows)
    {
        bool batched = plan.ImagesPerStep > 1;
        int spatial = plan.Spatial, ld = batched ? plan.StepColumns : spatial;
        for (int group = 0; group < plan.Groups; group++)
        {
            float* gyg = gy + (nint)group * plan.GroupK * spatial;
            if (batched)
            {
                plan.GatherRows(gy, count, group, rows);
                gyg = rows;
            }
            float* b = x + (nint)group * plan.GroupC * plan.Plane;
            if (!plan.Pointwise)
            {
                plan.Lower(x, count, group, col);
                b = col;
            }
            ConvGemm.Multiply(plan.Kernel, false, true, plan.GroupK, plan.Rows, count * spatial, gyg, ld, b, ld,
                              1f, dw + (nint)group * plan.GroupWeights, plan.Rows);
        }
        if (db == null) return;
        for (int i = 0; i < count; i++)
        for (int k = 0; k < plan.Geometry.K; k++)
            db[k] += ConvVectors.Sum(gy + (nint)i * plan.ImageY + (nint)k * spatial, spatial);
    }
}
