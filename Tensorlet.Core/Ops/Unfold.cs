using Tensorlet.Kernels;

namespace Tensorlet;

// Unfold (im2col) and Fold (col2im), PyTorch's torch.nn.functional.unfold / fold. Unfold copies every kernel-sized
// block of the input into a column: cols[n, (c·kh + i)·kw + j, l] = x[n, c, oh·sH − pH + i·dH, ow·sW − pW + j·dW] with
// l = oh·OW + ow. Both are linear and each is the other's adjoint (Σ Unfold(x)·G = Σ x·Fold(G)), so the backward of one
// is the other. A convolution is weight.Reshape(K, C·kh·kw).MatMul(Unfold(x)) reshaped to [N, K, OH, OW].
public static partial class F
{
    /// <summary>
    /// Extracts sliding blocks (im2col): <paramref name="x"/> [N, C, H, W] (or [C, H, W]) becomes [N, C·kh·kw, L]
    /// (or [C·kh·kw, L]), row (c·kh + i)·kw + j holding tap (i, j) of channel c and the L = OH·OW blocks in row-major
    /// order, as in <c>torch.nn.functional.unfold</c>. Zero padding is read as 0.
    /// </summary>
    public static Tensor Unfold(Tensor x, (int H, int W) kernelSize, (int H, int W) dilation, (int H, int W) padding, (int H, int W) stride)
    {
        if (x.Rank == 3) return Unfold(x.Unsqueeze(0), kernelSize, dilation, padding, stride).Squeeze(0);
        if (x.Rank != 4)
            throw new ArgumentException($"Unfold: expected input [N, C, H, W] or [C, H, W], got {Shape.Format(x.ShapeSpan)}.");
        var g = BlockGeometry("Unfold", $"input {Shape.Format(x.ShapeSpan)}", x.Size(0), x.Size(1), (x.Size(2), x.Size(3)),
                              kernelSize, dilation, padding, stride);
        return LinearOp(x, [g.N, g.C * g.KH * g.KW, g.OutH * g.OutW], "UnfoldBackward",
            (b, src, dst) => b.Unfold(g, src, dst),
            (b, gy, gx) => b.Fold(g, gy, gx));
    }

    /// <summary>Unfold with the same kernel size, dilation, padding and stride along both axes.</summary>
    public static Tensor Unfold(Tensor x, int kernelSize, int dilation = 1, int padding = 0, int stride = 1) =>
        Unfold(x, (kernelSize, kernelSize), (dilation, dilation), (padding, padding), (stride, stride));

    /// <summary>
    /// Sums sliding blocks back into an image (col2im), the adjoint of <see cref="Unfold(Tensor, int, int, int, int)"/>:
    /// <paramref name="cols"/> [N, C·kh·kw, L] (or [C·kh·kw, L]) becomes [N, C, outH, outW] (or [C, outH, outW]); a pixel
    /// covered by several blocks receives the sum, and values that fall in the padding are dropped. L must be the number
    /// of blocks that <paramref name="outputSize"/> and the other arguments give, as in <c>torch.nn.functional.fold</c>.
    /// </summary>
    public static Tensor Fold(Tensor cols, (int H, int W) outputSize, (int H, int W) kernelSize, (int H, int W) dilation,
                              (int H, int W) padding, (int H, int W) stride)
    {
        if (cols.Rank == 2) return Fold(cols.Unsqueeze(0), outputSize, kernelSize, dilation, padding, stride).Squeeze(0);
        string what = $"input {Shape.Format(cols.ShapeSpan)}";
        if (cols.Rank != 3)
            throw new ArgumentException($"Fold: expected input [N, C·kh·kw, L] or [C·kh·kw, L], got {Shape.Format(cols.ShapeSpan)}.");
        if (kernelSize.H <= 0 || kernelSize.W <= 0)
            throw new ArgumentException($"Fold: {what}: kernel size {kernelSize} must be positive.");
        int taps = kernelSize.H * kernelSize.W, rows = cols.Size(1);
        if (rows == 0 || rows % taps != 0)
            throw new ArgumentException(
                $"Fold: {what}: dimension 1 ({rows}) must be a positive multiple of kh·kw = {kernelSize.H}·{kernelSize.W} = {taps}.");
        var g = BlockGeometry("Fold", what, cols.Size(0), rows / taps, outputSize, kernelSize, dilation, padding, stride);
        int blocks = g.OutH * g.OutW;
        if (cols.Size(2) != blocks)
            throw new ArgumentException(
                $"Fold: {what} has L = {cols.Size(2)} blocks, but outputSize {outputSize} with kernel {kernelSize}, dilation {dilation}, " +
                $"padding {padding} and stride {stride} gives {g.OutH} × {g.OutW} = {blocks} blocks.");
        return LinearOp(cols, [g.N, g.C, g.H, g.W], "FoldBackward",
            (b, src, dst) => b.Fold(g, src, dst),
            (b, gy, gcols) => b.Unfold(g, gy, gcols));
    }

    /// <summary>Fold with a square output and the same kernel size, dilation, padding and stride along both axes.</summary>
    public static Tensor Fold(Tensor cols, int outputSize, int kernelSize, int dilation = 1, int padding = 0, int stride = 1) =>
        Fold(cols, (outputSize, outputSize), (kernelSize, kernelSize), (dilation, dilation), (padding, padding), (stride, stride));

    /// <summary>Checks the block arguments, naming them and the shape at fault, and builds the kernels' geometry (one output channel).</summary>
    private static Conv2dGeometry BlockGeometry(string op, string what, int n, int c, (int H, int W) size, (int H, int W) kernel,
                                                (int H, int W) dilation, (int H, int W) padding, (int H, int W) stride)
    {
        if (kernel.H <= 0 || kernel.W <= 0 || dilation.H <= 0 || dilation.W <= 0 || stride.H <= 0 || stride.W <= 0)
            throw new ArgumentException($"{op}: {what}: kernel size {kernel}, dilation {dilation} and stride {stride} must be positive.");
        if (padding.H < 0 || padding.W < 0)
            throw new ArgumentException($"{op}: {what}: padding {padding} must be non-negative.");
        if (c <= 0 || size.H <= 0 || size.W <= 0)
            throw new ArgumentException($"{op}: {what}: channels {c} and spatial size {size} must be positive.");
        var g = new Conv2dGeometry(n, c, size.H, size.W, 1, kernel.H, kernel.W, stride.H, stride.W, padding.H, padding.W,
                                   dilation.H, dilation.W);
        // Tested on the extents, not on OutH: C#'s division truncates toward zero, so a too-large kernel can give OutH = 1.
        if (dilation.H * (kernel.H - 1) + 1 > size.H + 2 * padding.H || dilation.W * (kernel.W - 1) + 1 > size.W + 2 * padding.W)
            throw new ArgumentException(
                $"{op}: {what}: kernel {kernel} with dilation {dilation} does not fit the padded size " +
                $"{size.H + 2 * padding.H}×{size.W + 2 * padding.W}.");
        return g;
    }
}
