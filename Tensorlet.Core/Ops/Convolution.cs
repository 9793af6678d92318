using Tensorlet.Kernels;

namespace Tensorlet;

// 2-D convolution (cross-correlation, as in PyTorch). With y = conv(x, W) + b and upstream G:
//   dx = conv_transpose(G, W)                       (each output gradient spread back over the pixels it read)
//   dW[k,c,i,j] = Σ_{n,oh,ow} G[n,k,oh,ow] · x[n, c, oh·s − p + i·d, ow·s − p + j·d]
//   db[k] = Σ_{n,oh,ow} G[n,k,oh,ow]
// The backend does all three (im2col + GEMM on the CPU) on the tensors' own views: no copy is made here.
public sealed partial class Tensor
{
    /// <summary>
    /// 2-D convolution of this [N, C, H, W] input with <paramref name="weight"/> [K, C/groups, KH, KW] and an optional
    /// <paramref name="bias"/> [K], like <c>torch.nn.functional.conv2d</c>: output [N, K, OH, OW] with
    /// OH = (H + 2·padH − dilH·(KH − 1) − 1) / strideH + 1 (and likewise OW).
    /// </summary>
    public Tensor Conv2d(Tensor weight, Tensor? bias, (int H, int W) stride, (int H, int W) padding,
                         (int H, int W) dilation, int groups = 1)
    {
        var geometry = ConvGeometry(this, weight, bias, stride, padding, dilation, groups);
        var y = Empty([geometry.N, geometry.K, geometry.OutH, geometry.OutW], Device);
        Backend.Conv2d(geometry, AsStrided(), weight.AsStrided(), bias?.AsStrided(), y.AsStrided());
        var input = this;
        Tensor[] inputs = bias == null ? [input, weight] : [input, weight, bias];
        return Record(y, "Conv2dBackward", inputs, g =>
        {
            var gy = g.AsStrided();
            if (input.RequiresGrad)
            {
                var gx = Empty(input._shape, Device);
                Backend.Conv2dBackwardInput(geometry, gy, weight.AsStrided(), gx.AsStrided());
                input.AccumulateGrad(gx);
            }
            bool wantBias = bias != null && bias.RequiresGrad;
            if (weight.RequiresGrad || wantBias)
            {
                // The kernel produces both at once; the weight gradient is computed even when only the bias wants
                // one, since the bias sum is a by-product of the same pass over gY.
                var gw = Empty(weight._shape, Device);
                var gb = wantBias ? Empty([geometry.K], Device) : null;
                Backend.Conv2dBackwardWeight(geometry, input.AsStrided(), gy, gw.AsStrided(), gb?.AsStrided());
                if (weight.RequiresGrad) weight.AccumulateGrad(gw);
                else gw.Dispose();
                if (gb != null) bias!.AccumulateGrad(gb);
            }
        });
    }

    /// <summary>2-D convolution with the same stride, padding and dilation along both axes.</summary>
    public Tensor Conv2d(Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int dilation = 1, int groups = 1) =>
        Conv2d(weight, bias, (stride, stride), (padding, padding), (dilation, dilation), groups);

    /// <summary>Checks every shape and hyper-parameter, with messages naming the shapes, and builds the kernel geometry.</summary>
    private static Conv2dGeometry ConvGeometry(Tensor x, Tensor weight, Tensor? bias, (int H, int W) stride,
                                               (int H, int W) padding, (int H, int W) dilation, int groups)
    {
        CheckSameDevice("Conv2d", x, weight);
        if (bias != null) CheckSameDevice("Conv2d", x, bias);
        string shapes = $"input {Tensorlet.Shape.Format(x._shape)}, weight {Tensorlet.Shape.Format(weight._shape)}";
        if (x.Rank != 4)
            throw new ArgumentException($"Conv2d: expected a 4-D input [N, C, H, W], got {shapes}.");
        if (weight.Rank != 4)
            throw new ArgumentException($"Conv2d: expected a 4-D weight [outC, inC/groups, kH, kW], got {shapes}.");
        if (groups <= 0) throw new ArgumentException($"Conv2d: groups must be positive, got {groups}.");
        if (stride.H <= 0 || stride.W <= 0 || dilation.H <= 0 || dilation.W <= 0 || padding.H < 0 || padding.W < 0)
            throw new ArgumentException($"Conv2d: stride {stride} and dilation {dilation} must be positive and padding {padding} non-negative.");
        int k = weight._shape[0];
        if (x._shape[1] != weight._shape[1] * groups)
            throw new ArgumentException(
                $"Conv2d: {shapes}, groups {groups}: input channels {x._shape[1]} must equal weight's {weight._shape[1]} × groups {groups}.");
        if (k % groups != 0)
            throw new ArgumentException($"Conv2d: {shapes}: output channels {k} are not divisible by groups {groups}.");
        if (bias != null && (bias.Rank != 1 || bias._shape[0] != k))
            throw new ArgumentException($"Conv2d: bias of shape {Tensorlet.Shape.Format(bias._shape)} must be [{k}] for {shapes}.");
        var g = new Conv2dGeometry(x._shape[0], x._shape[1], x._shape[2], x._shape[3], k, weight._shape[2], weight._shape[3],
                                   stride.H, stride.W, padding.H, padding.W, dilation.H, dilation.W, groups);
        if (g.OutH <= 0 || g.OutW <= 0)
            throw new ArgumentException(
                $"Conv2d: {shapes}: kernel {g.KH}×{g.KW} with dilation {dilation} is larger than the padded input {g.H + 2 * g.PadH}×{g.W + 2 * g.PadW}.");
        return g;
    }
}
