using Tensorlet.Onnx;

namespace Tensorlet.NN;

/// <summary>Max pooling over [N, C, H, W]; stride defaults to the kernel size. See <c>F.MaxPool2d</c>.</summary>
public sealed class MaxPool2d : Pool2d, IOnnxExportable
{
    public MaxPool2d(int kernelSize, int? stride = null, int padding = 0, bool ceilMode = false)
        : base((kernelSize, kernelSize), stride is int s ? (s, s) : null, (padding, padding), ceilMode, pairs: false) { }

    public MaxPool2d((int H, int W) kernelSize, (int H, int W)? stride = null, (int H, int W) padding = default, bool ceilMode = false)
        : base(kernelSize, stride, padding, ceilMode, pairs: true) { }

    public override Tensor Forward(Tensor input) => F.MaxPool2d(input, KernelSize, Stride, Padding, CeilMode);

    public string ExportOnnx(OnnxGraphBuilder g, string input) => g.Node("MaxPool", [input], OnnxWindow());

    protected override string Describe() => $"MaxPool2d({DescribeWindow()}, dilation=1, ceil_mode={PyRepr.Bool(CeilMode)})";
}

/// <summary>Average pooling over [N, C, H, W]; stride defaults to the kernel size. See <c>F.AvgPool2d</c>.</summary>
public sealed class AvgPool2d : Pool2d, IOnnxExportable
{
    public AvgPool2d(int kernelSize, int? stride = null, int padding = 0, bool ceilMode = false, bool countIncludePad = true)
        : base((kernelSize, kernelSize), stride is int s ? (s, s) : null, (padding, padding), ceilMode, pairs: false) =>
        CountIncludePad = countIncludePad;

    public AvgPool2d((int H, int W) kernelSize, (int H, int W)? stride = null, (int H, int W) padding = default, bool ceilMode = false,
                     bool countIncludePad = true)
        : base(kernelSize, stride, padding, ceilMode, pairs: true) =>
        CountIncludePad = countIncludePad;

    public bool CountIncludePad { get; }

    public override Tensor Forward(Tensor input) => F.AvgPool2d(input, KernelSize, Stride, Padding, CeilMode, CountIncludePad);

    public string ExportOnnx(OnnxGraphBuilder g, string input) =>
        g.Node("AveragePool", [input], [.. OnnxWindow(), ("count_include_pad", CountIncludePad ? 1 : 0)]);

    protected override string Describe() => $"AvgPool2d({DescribeWindow()})";
}

/// <summary>Average pooling to a fixed output size, whatever the input size; <c>AdaptiveAvgPool2d(1)</c> is global average pooling.</summary>
public sealed class AdaptiveAvgPool2d : Module, IOnnxExportable
{
    private readonly bool _pair;

    public AdaptiveAvgPool2d(int outputSize) : this((outputSize, outputSize)) => _pair = false;

    public AdaptiveAvgPool2d((int H, int W) outputSize)
    {
        OutputSize = outputSize;
        _pair = true;
    }

    public (int H, int W) OutputSize { get; }

    public override Tensor Forward(Tensor input) => F.AdaptiveAvgPool2d(input, OutputSize);

    /// <summary>
    /// GlobalAveragePool for a 1×1 output; an AveragePool of fixed windows when the traced input size is a multiple of
    /// the output size (then every adaptive bin is the same window). Other sizes have overlapping, uneven bins.
    /// </summary>
    public string ExportOnnx(OnnxGraphBuilder g, string input)
    {
        if (OutputSize == (1, 1)) return g.GlobalAveragePool(input);
        var shape = g.InputShapeOf(this);
        int h = shape[^2], w = shape[^1];
        if (h % OutputSize.H != 0 || w % OutputSize.W != 0)
            throw g.Unsupported(this, $"a {h}×{w} input does not divide into {OutputSize.H}×{OutputSize.W} equal bins");
        var kernel = new[] { h / OutputSize.H, w / OutputSize.W };
        return g.Node("AveragePool", [input], ("kernel_shape", kernel), ("strides", kernel));
    }

    /// <summary>About one addition per input element (bins overlap only where the sizes do not divide).</summary>
    public override double ForwardFlops(int[] inputShape, int[] outputShape) => Shape.Count(inputShape);

    protected override string Describe() => $"AdaptiveAvgPool2d(output_size={PyRepr.Size(OutputSize, _pair)})";
}
