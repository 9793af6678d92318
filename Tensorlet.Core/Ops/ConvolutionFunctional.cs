namespace Tensorlet;

// Functional convolution, like torch.nn.functional.conv2d; the op itself is Tensor.Conv2d (Ops/Convolution.cs).
public static partial class F
{
    /// <summary>
    /// 2-D convolution of <paramref name="x"/> [N, C, H, W] with <paramref name="weight"/> [K, C/groups, KH, KW]
    /// (+ <paramref name="bias"/> [K]); output [N, K, OH, OW]. See <see cref="Tensor.Conv2d(Tensor, Tensor?, int, int, int, int)"/>.
    /// </summary>
    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int dilation = 1, int groups = 1) =>
        x.Conv2d(weight, bias, stride, padding, dilation, groups);

    /// <summary>2-D convolution with separate (height, width) stride, padding and dilation.</summary>
    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias, (int H, int W) stride, (int H, int W) padding,
                                (int H, int W) dilation, int groups = 1) =>
        x.Conv2d(weight, bias, stride, padding, dilation, groups);
}
