namespace Tensorlet.NN;

/// <summary>
/// The window that <see cref="MaxPool2d"/> and <see cref="AvgPool2d"/> slide over [N, C, H, W] (kernel, stride —
/// the kernel size by default —, padding, ceil mode), with what follows from it alone: its ONNX attributes, its
/// FLOP count and its part of the PyTorch repr.
/// </summary>
public abstract class Pool2d : Module
{
    // PyTorch prints sizes given as one int as that int, and sizes given as pairs as tuples.
    private readonly bool _pairs;

    private protected Pool2d((int H, int W) kernelSize, (int H, int W)? stride, (int H, int W) padding, bool ceilMode, bool pairs)
    {
        KernelSize = kernelSize;
        Stride = stride ?? kernelSize;
        Padding = padding;
        CeilMode = ceilMode;
        _pairs = pairs;
    }

    public (int H, int W) KernelSize { get; }
    public (int H, int W) Stride { get; }
    public (int H, int W) Padding { get; }
    public bool CeilMode { get; }

    /// <summary>One comparison or addition per window element (an average's division is folded in).</summary>
    public override double ForwardFlops(int[] inputShape, int[] outputShape) => (double)Shape.Count(outputShape) * KernelSize.H * KernelSize.W;

    /// <summary>The ONNX MaxPool/AveragePool attributes of the window.</summary>
    private protected (string Name, object Value)[] OnnxWindow() =>
    [
        ("kernel_shape", new[] { KernelSize.H, KernelSize.W }), ("strides", new[] { Stride.H, Stride.W }),
        ("pads", new[] { Padding.H, Padding.W, Padding.H, Padding.W }), ("ceil_mode", CeilMode ? 1 : 0),
    ];

    /// <summary>"kernel_size=…, stride=…, padding=…" as PyTorch prints them.</summary>
    private protected string DescribeWindow() =>
        $"kernel_size={PyRepr.Size(KernelSize, _pairs)}, stride={PyRepr.Size(Stride, _pairs)}, padding={PyRepr.Size(Padding, _pairs)}";
}
