using ILGPU.Runtime;

namespace Tensorlet.Kernels.Gpu;

// Convolution as im2col + GEMM (DESIGN decision 4). With R = Cg·KH·KW rows per lowered group and S = OH·OW columns, each
// (image, group) pair is one GEMM of the batch, b = image·groups + group:
//   forward          Y_b  (Kg×S) = W_g (Kg×R) · col_b (R×S)
//   input gradient   gcol_b (R×S) = W_gᵀ · gY_b, then col2im
//   weight gradient  gW_g (Kg×R) = Σ_n gY_b · col_bᵀ
// Pointwise convolutions (1×1, stride 1, no padding) use the image itself as col_b. Lowered images are rented from the
// pool in chunks of images bounded by ConvolutionScratchFloats, so a large batch never needs one huge buffer.
public sealed partial class GpuBackend
{
    private ConvolutionKernels? _convolution;

    private ConvolutionKernels Convolution => _convolution ??= new ConvolutionKernels(Accelerator);

    /// <summary>
    /// The most floats of scratch one convolution call rents for lowered images (and weight-gradient partial sums); a batch
    /// needing more is processed in chunks of images. At least one image is always processed at a time. Default 2²⁴ (64 MiB).
    /// </summary>
    public int ConvolutionScratchFloats { get; set; } = 1 << 24;

    // The kernels below walk dense arrays: every operand is opened through DenseOperand (a copy only for other layouts).
    public void Conv2d(in Conv2dGeometry g, in StridedView x, in StridedView weight, in StridedView? bias, in StridedView y)
    {
        OperationChecks.Conv2d(this, g, x, weight, bias, y);
        if (g.N == 0) return;
        using var xs = DenseOperand.Read(this, x);
        using var ws = DenseOperand.Read(this, weight);
        using var bs = bias is { } b ? DenseOperand.Read(this, b) : default;
        using var ys = DenseOperand.Write(this, y);
        Conv2d(g, xs.Buffer, xs.Offset, ws.Buffer, ws.Offset, bias == null ? null : bs.Buffer, bs.Offset, ys.Buffer, ys.Offset);
        ys.Complete();
    }

    private void Conv2d(in Conv2dGeometry g, DeviceBuffer x, int xOffset, DeviceBuffer weight, int wOffset,
                        DeviceBuffer? bias, int bOffset, DeviceBuffer y, int yOffset)
    {
        var l = new Lowering(g);
        int chunk = l.Pointwise ? g.N : ImagesPerChunk(g.N, ConvolutionKernels.ColumnFloats(g));
        using var col = l.Pointwise ? null : Allocate(checked(chunk * (int)ConvolutionKernels.ColumnFloats(g)));
        var w = new GemmMatrix(weight, wOffset, l.R, 0, l.Kg * l.R);
        for (int n0 = 0; n0 < g.N; n0 += chunk)
        {
            int count = Math.Min(chunk, g.N - n0);
            var source = Lowered(l, count, x, xOffset + n0 * l.ImageX, col);
            var dst = new GemmMatrix(y, yOffset + n0 * l.ImageY, l.S, l.ImageY, l.Kg * l.S);
            GemmTiles.Run(this, false, false, l.Kg, l.S, l.R, 1f, w, source, 0f, dst, count, g.Groups);
        }
        // A separate pass rather than β = 1 over a pre-filled y: the GEMM then never reads y, and this pass is cheap.
        if (bias != null) Convolution.AddBias(this, y, yOffset, g.N, g.K, l.S, bias, bOffset);
    }

    public void Conv2dBackwardInput(in Conv2dGeometry g, in StridedView gradY, in StridedView weight, in StridedView gradX)
    {
        OperationChecks.Conv2dBackwardInput(this, g, gradY, weight, gradX);
        if (g.N == 0) return;
        using var gys = DenseOperand.Read(this, gradY);
        using var ws = DenseOperand.Read(this, weight);
        using var gxs = DenseOperand.Write(this, gradX);
        Conv2dBackwardInput(g, gys.Buffer, gys.Offset, ws.Buffer, ws.Offset, gxs.Buffer, gxs.Offset);
        gxs.Complete();
    }

    private void Conv2dBackwardInput(in Conv2dGeometry g, DeviceBuffer gradY, int gyOffset, DeviceBuffer weight, int wOffset,
                                     DeviceBuffer gradX, int gxOffset)
    {
        var l = new Lowering(g);
        var w = new GemmMatrix(weight, wOffset, l.R, 0, l.Kg * l.R);
        if (l.Pointwise)
        {
            // The lowered image is the image: the GEMM writes gX directly (β = 0 overwrites it).
            GemmTiles.Run(this, true, false, l.R, l.S, l.Kg, 1f, w, new GemmMatrix(gradY, gyOffset, l.S, l.ImageY, l.Kg * l.S),
                          0f, new GemmMatrix(gradX, gxOffset, l.S, l.ImageX, l.R * l.S), g.N, g.Groups);
            return;
        }
        int chunk = ImagesPerChunk(g.N, ConvolutionKernels.ColumnFloats(g));
        using var gcol = Allocate(checked(chunk * (int)ConvolutionKernels.ColumnFloats(g)));
        for (int n0 = 0; n0 < g.N; n0 += chunk)
        {
            int count = Math.Min(chunk, g.N - n0);
            var gy = new GemmMatrix(gradY, gyOffset + n0 * l.ImageY, l.S, l.ImageY, l.Kg * l.S);
            GemmTiles.Run(this, true, false, l.R, l.S, l.Kg, 1f, w, gy, 0f,
                          new GemmMatrix(gcol, 0, l.S, g.Groups * l.R * l.S, l.R * l.S), count, g.Groups);
            Convolution.Col2Im(this, g, count, gcol, gradX, gxOffset + n0 * l.ImageX);
        }
    }

    public void Conv2dBackwardWeight(in Conv2dGeometry g, in StridedView x, in StridedView gradY, in StridedView gradW,
                                     in StridedView? gradBias)
    {
        OperationChecks.Conv2dBackwardWeight(this, g, x, gradY, gradW, gradBias);
        using var xs = DenseOperand.Read(this, x);
        using var gys = DenseOperand.Read(this, gradY);
        using var gws = DenseOperand.Write(this, gradW);
        using var gbs = gradBias is { } gb ? DenseOperand.Write(this, gb) : default;
        Conv2dBackwardWeight(g, xs.Buffer, xs.Offset, gys.Buffer, gys.Offset, gws.Buffer, gws.Offset, gradBias == null ? null : gbs.Buffer,
                             gbs.Offset);
        gws.Complete();
        gbs.Complete();
    }

    private void Conv2dBackwardWeight(in Conv2dGeometry g, DeviceBuffer x, int xOffset, DeviceBuffer gradY, int gyOffset,
                                      DeviceBuffer gradW, int gwOffset, DeviceBuffer? gradBias, int gbOffset)
    {
        var l = new Lowering(g);
        int weights = g.K * l.R;
        if (g.N == 0)
        {
            // An empty batch contributes nothing: the gradients are zero, not left as they were.
            View(gradW).SubView(gwOffset, weights).MemSetToZero(Stream);
            if (gradBias != null) View(gradBias).SubView(gbOffset, g.K).MemSetToZero(Stream);
            return;
        }
        WeightGradient(g, l, x, xOffset, gradY, gyOffset, gradW, gwOffset);
        if (gradBias != null) BiasGradient(g, l.S, gradY, gyOffset, gradBias, gbOffset);
    }

    // Each image of a chunk gets its own slot of partial sums, so all its (image, group) GEMMs run as one batch with no two
    // writing the same C; later chunks accumulate onto the slots (β = 1), and one reduction over the slots, in slot order,
    // gives gW. That is split-K over the batch: with gY·colᵀ alone a layer with few filters would be only a handful of
    // tiles, each with a very long k loop. A chunk of one image needs no slots: it accumulates into gW directly.
    private void WeightGradient(in Conv2dGeometry g, in Lowering l, DeviceBuffer x, int xOffset, DeviceBuffer gradY, int gyOffset,
                                DeviceBuffer gradW, int gwOffset)
    {
        int weights = g.K * l.R;
        long column = l.Pointwise ? 0 : ConvolutionKernels.ColumnFloats(g);
        int chunk = ImagesPerChunk(g.N, column + weights);
        bool slots = chunk > 1;
        using var col = l.Pointwise ? null : Allocate(checked(chunk * (int)column));
        using var partial = slots ? Allocate(checked(chunk * weights)) : null;
        var target = slots ? new GemmMatrix(partial!, 0, l.R, weights, l.Kg * l.R) : new GemmMatrix(gradW, gwOffset, l.R, 0, l.Kg * l.R);
        for (int n0 = 0; n0 < g.N; n0 += chunk)
        {
            int count = Math.Min(chunk, g.N - n0);
            var source = Lowered(l, count, x, xOffset + n0 * l.ImageX, col);
            var gy = new GemmMatrix(gradY, gyOffset + n0 * l.ImageY, l.S, l.ImageY, l.Kg * l.S);
            // A short last chunk leaves its unused slots holding earlier chunks' sums, which the reduction still needs.
            GemmTiles.Run(this, false, true, l.Kg, l.R, l.S, 1f, gy, source, n0 == 0 ? 0f : 1f, target, count, g.Groups);
        }
        if (slots) Reductions.Run(this, ReduceOp.Sum, partial!, 0, 1, chunk, weights, gradW, gwOffset, 1f);
    }

    // gB[k] = Σ_{n,s} gY[n, k, s]: first over the positions of each (image, channel) row, then over the images.
    private void BiasGradient(in Conv2dGeometry g, int spatial, DeviceBuffer gradY, int gyOffset, DeviceBuffer gradBias, int gbOffset)
    {
        if (g.N == 1)
        {
            Reductions.Run(this, ReduceOp.Sum, gradY, gyOffset, g.K, spatial, 1, gradBias, gbOffset, 1f);
            return;
        }
        using var rows = Allocate(g.N * g.K);
        Reductions.Run(this, ReduceOp.Sum, gradY, gyOffset, g.N * g.K, spatial, 1, rows, 0, 1f);
        Reductions.Run(this, ReduceOp.Sum, rows, 0, 1, g.N, g.K, gradBias, gbOffset, 1f);
    }

    /// <summary>How many images' scratch (<paramref name="perImage"/> floats each) fit the budget; at least 1, at most n.</summary>
    private int ImagesPerChunk(int n, long perImage)
    {
        if (perImage == 0) return n;
        if (perImage > int.MaxValue)
            throw new ArgumentException($"Conv2d: one image needs {perImage} floats of scratch, more than a buffer can hold.");
        return (int)Math.Clamp(ConvolutionScratchFloats / perImage, 1, n);
    }

    /// <summary>The B operand of the (image, group) GEMMs: the images themselves when pointwise, else their im2col in col.</summary>
    private GemmMatrix Lowered(in Lowering l, int images, DeviceBuffer x, int xOffset, DeviceBuffer? col)
    {
        if (l.Pointwise) return new GemmMatrix(x, xOffset, l.S, l.ImageX, l.R * l.S);
        Convolution.Im2Col(this, l.Geometry, images, x, xOffset, col!);
        return new GemmMatrix(col!, 0, l.S, l.Geometry.Groups * l.R * l.S, l.R * l.S);
    }

    /// <summary>The GEMM sizes of a convolution.</summary>
    private readonly struct Lowering(in Conv2dGeometry g)
    {
        public Conv2dGeometry Geometry { get; } = g;

        /// <summary>1×1, stride 1, no padding: the lowered image is the image (dilation does not matter for one tap).</summary>
        public bool Pointwise { get; } = g.KH == 1 && g.KW == 1 && g.StrideH == 1 && g.StrideW == 1 && g.PadH == 0 && g.PadW == 0;

        /// <summary>Rows of a lowered group, Cg·KH·KW (the GEMM depth of the forward pass).</summary>
        public int R { get; } = g.GroupC * g.KH * g.KW;

        /// <summary>Output positions, OH·OW.</summary>
        public int S { get; } = g.OutH * g.OutW;

        public int Kg { get; } = g.GroupK;
        public int ImageX { get; } = g.C * g.H * g.W;
        public int ImageY { get; } = g.K * g.OutH * g.OutW;
    }
}
