using Tensorlet.Kernels;

namespace Tensorlet;

// 2-D pooling over [N, C, H, W] (or unbatched [C, H, W]), PyTorch's conventions (see Pool2dGeometry).
// Max: y = max over the window, and the backward hands each output's gradient to the element that won (the first
// maximum in row-major window order on ties), so the forward keeps the winners' indices.
// Average: y = Σ window / divisor, so every element of a window receives g / divisor.
// Adaptive average: the same with bins [⌊i·H/OH⌋, ⌈(i+1)·H/OH⌉) chosen from the output size.
public static partial class F
{
    /// <summary>Max pooling with a square window; <paramref name="stride"/> defaults to the kernel size.</summary>
    public static Tensor MaxPool2d(Tensor x, int kernelSize, int? stride = null, int padding = 0, bool ceilMode = false) =>
        MaxPool2d(x, (kernelSize, kernelSize), stride is int s ? (s, s) : null, (padding, padding), ceilMode);

    /// <summary>Max pooling over windows of <paramref name="kernelSize"/> (height, width); stride defaults to the kernel size.</summary>
    public static Tensor MaxPool2d(Tensor x, (int H, int W) kernelSize, (int H, int W)? stride = null, (int H, int W) padding = default,
                                   bool ceilMode = false) =>
        Unbatched(x, "MaxPool2d", input =>
        {
            var g = PoolGeometry("MaxPool2d", input, kernelSize, stride, padding, ceilMode, true);
            var shape = new[] { g.N, g.C, g.OutH, g.OutW };
            var y = Tensor.Empty(shape, input.Device);
            var indices = Tensor.Empty(shape, input.Device);
            input.Backend.MaxPool2d(g, input.AsStrided(), y.AsStrided(), indices.AsStrided());
            var result = Tensor.Record(y, "MaxPool2dBackward", [input], gy =>
            {
                var gx = Tensor.Empty(input.Shape, input.Device);
                input.Backend.MaxPool2dBackward(g, gy.AsStrided(), indices.AsStrided(), gx.AsStrided());
                input.AccumulateGrad(gx);
            });
            if (!result.RequiresGrad) indices.Dispose();
            return result;
        });

    /// <summary>Average pooling with a square window; <paramref name="stride"/> defaults to the kernel size.</summary>
    public static Tensor AvgPool2d(Tensor x, int kernelSize, int? stride = null, int padding = 0, bool ceilMode = false,
                                   bool countIncludePad = true) =>
        AvgPool2d(x, (kernelSize, kernelSize), stride is int s ? (s, s) : null, (padding, padding), ceilMode, countIncludePad);

    /// <summary>
    /// Average pooling. The divisor is the window with its end clipped to H + p (W + p), padding included when
    /// <paramref name="countIncludePad"/>, else the number of in-image elements.
    /// </summary>
    public static Tensor AvgPool2d(Tensor x, (int H, int W) kernelSize, (int H, int W)? stride = null, (int H, int W) padding = default,
                                   bool ceilMode = false, bool countIncludePad = true) =>
        Unbatched(x, "AvgPool2d", input =>
        {
            var g = PoolGeometry("AvgPool2d", input, kernelSize, stride, padding, ceilMode, countIncludePad);
            return LinearOp(input, [g.N, g.C, g.OutH, g.OutW], "AvgPool2dBackward",
                (b, src, dst) => b.AvgPool2d(g, src, dst),
                (b, gy, gx) => b.AvgPool2dBackward(g, gy, gx));
        });

    /// <summary>Average pooling to a square <paramref name="outputSize"/>; 1 is global average pooling.</summary>
    public static Tensor AdaptiveAvgPool2d(Tensor x, int outputSize) => AdaptiveAvgPool2d(x, (outputSize, outputSize));

    /// <summary>Average pooling to <paramref name="outputSize"/> (height, width) over bins [⌊i·H/OH⌋, ⌈(i+1)·H/OH⌉), which overlap when sizes do not divide.</summary>
    public static Tensor AdaptiveAvgPool2d(Tensor x, (int H, int W) outputSize) =>
        Unbatched(x, "AdaptiveAvgPool2d", input =>
        {
            if (outputSize.H <= 0 || outputSize.W <= 0)
                throw new ArgumentException($"AdaptiveAvgPool2d: output size {outputSize} must be positive.");
            if (input.Size(2) == 0 || input.Size(3) == 0)
                throw new ArgumentException($"AdaptiveAvgPool2d: input {Shape.Format(input.ShapeSpan)} has an empty plane.");
            return LinearOp(input, [input.Size(0), input.Size(1), outputSize.H, outputSize.W], "AdaptiveAvgPool2dBackward",
                (b, src, dst) => b.AdaptiveAvgPool2d(src, dst),
                (b, gy, gx) => b.AdaptiveAvgPool2dBackward(gy, gx));
        });

    private delegate void LinearKernel(IBackend backend, StridedView src, StridedView dst);

    /// <summary>
    /// An op that is a fixed linear map, run by one kernel forward and its adjoint backward: the average poolings, and
    /// Unfold and Fold (each the other's adjoint). Only the kernels differ.
    /// </summary>
    private static Tensor LinearOp(Tensor input, int[] outShape, string name, LinearKernel forward, LinearKernel backward)
    {
        var y = Tensor.Empty(outShape, input.Device);
        forward(input.Backend, input.AsStrided(), y.AsStrided());
        return Tensor.Record(y, name, [input], gy =>
        {
            var gx = Tensor.Empty(input.Shape, input.Device);
            backward(input.Backend, gy.AsStrided(), gx.AsStrided());
            input.AccumulateGrad(gx);
        });
    }

    private static Pool2dGeometry PoolGeometry(string op, Tensor x, (int H, int W) kernel, (int H, int W)? stride, (int H, int W) padding,
                                               bool ceilMode, bool countIncludePad)
    {
        var (sh, sw) = stride ?? kernel;
        var g = new Pool2dGeometry(x.Size(0), x.Size(1), x.Size(2), x.Size(3), kernel.H, kernel.W, sh, sw, padding.H, padding.W,
                                   ceilMode, countIncludePad);
        try { g.Validate(); }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{op}: input {Shape.Format(x.ShapeSpan)}, kernel {kernel}, stride {(sh, sw)}, padding {padding}: {e.Message}");
        }
        return g;
    }

    /// <summary>Runs a 4-D op on [N, C, H, W], or on unbatched [C, H, W] as a batch of one, as PyTorch accepts.</summary>
    private static Tensor Unbatched(Tensor x, string op, Func<Tensor, Tensor> pool4d) => x.Rank switch
    {
        4 => pool4d(x),
        3 => pool4d(x.Unsqueeze(0)).Squeeze(0),
        _ => throw new ArgumentException($"{op}: expected input [N, C, H, W] or [C, H, W], got {Shape.Format(x.ShapeSpan)}."),
    };
}
