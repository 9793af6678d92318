using Tensorlet.Kernels.Cpu.Gemm;

namespace Tensorlet.Kernels.Cpu.Conv;

/// <summary>
/// Input gradient. With stride 1 it is itself a forward convolution (<see cref="Transposed"/>): gX = gY ⋆ W′, W′
/// the weights with input and output channels swapped and the taps flipped, so it runs on the fused forward path
/// and never materialises the lowered gradient. Otherwise, per step of images and per group, gcol_g = W_gᵀ · gY_g
/// is the gradient of the lowered images, and col2im sums each of its entries back onto the pixel it was read
/// from. For pointwise convolutions the lowered image is the image, so the GEMM writes gX directly.
/// </summary>
internal static unsafe class ConvBackwardInput
{
    /// <summary>Images of gY lie <paramref name="imageY"/> apart and those of gX <paramref name="imageX"/> apart (null: dense).</summary>
    public static void Run(in Conv2dGeometry g, float* gy, float* w, float* gx, GemmKernel kernel, int? imageX = null, int? imageY = null)
    {
        var plan = new ConvPlan(g, kernel, imageX, imageY);
        // The transposed forward pads its output channels (Cg here) to whole tiles, unless the direct kernel takes it;
        // with fewer than a tile's rows (a first layer's 3 channels) the col2im route wastes less. Winograd, where it is
        // chosen for the transposed geometry, runs it whatever the channels.
        if (!plan.Pointwise && Transposed(g) is { } flipped
            && (g.GroupC >= kernel.MR || DirectConv.Applies(new ConvPlan(flipped, kernel)) || WinogradConv.Chosen(flipped)))
        {
            float* flippedWeights = ConvScratch.Flipped((long)g.K * g.GroupC * g.KH * g.KW);
            FlipWeights(g, w, flippedWeights);
            ConvForward.Run(flipped, gy, flippedWeights, null, gx, kernel, plan.ImageY, plan.ImageX);
            return;
        }
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

    /// <summary>
    /// For stride 1, gX[c, h, w] = Σ_k,i,j gY[k, h + pH − i·dH, w + pW − j·dW] · W[k, c, i, j]: a forward convolution
    /// of gY (K channels) with KH×KW taps flipped, padding d·(KH − 1) − p and the same dilation and groups, whose
    /// output is exactly H×W. Null when the stride is not 1 or the padding exceeds the dilated kernel's reach (the
    /// transposed padding would be negative).
    /// </summary>
    public static Conv2dGeometry? Transposed(in Conv2dGeometry g)
    {
        int padH = g.DilationH * (g.KH - 1) - g.PadH, padW = g.DilationW * (g.KW - 1) - g.PadW;
        if (g.StrideH != 1 || g.StrideW != 1 || padH < 0 || padW < 0) return null;
        return new Conv2dGeometry(g.N, g.K, g.OutH, g.OutW, g.C, g.KH, g.KW, 1, 1, padH, padW, g.DilationH, g.DilationW, g.Groups);
    }

    /// <summary>W′[g·Cg + c, k, i, j] = W[g·Kg + k, c, KH − 1 − i, KW − 1 − j]: the weights of <see cref="Transposed"/>.</summary>
    private static void FlipWeights(in Conv2dGeometry g, float* w, float* flipped)
    {
        int taps = g.KH * g.KW, kg = g.GroupK, cg = g.GroupC;
        // Split by source rows (group, k) over the threads: a 512-channel 3×3 layer's 2.4M weights took 1.7 ms alone.
        Threads.For(g.Groups * kg, 16, (s, e) =>
        {
            for (int row = s; row < e; row++)
            {
                int group = row / kg, k = row % kg;
                for (int c = 0; c < cg; c++)
                {
                    float* src = w + ((nint)row * cg + c) * taps;
                    float* dst = flipped + ((nint)(group * cg + c) * kg + k) * taps;
                    for (int t = 0; t < taps; t++) dst[t] = src[taps - 1 - t];
                }
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
