using Tensorlet.Onnx;

namespace Tensorlet.NN;

/// <summary>
/// 2-D convolution layer over [N, C, H, W] input, like <c>torch.nn.Conv2d</c>: weight [outC, inC/groups, kH, kW],
/// optional bias [outC]. Initialised like PyTorch: weight and bias uniform in ±1/√fan_in with
/// fan_in = inC/groups·kH·kW (kaiming_uniform with a = √5 reduces to this bound).
/// </summary>
public sealed class Conv2d : Module, IOnnxExportable
{
    public Conv2d(int inChannels, int outChannels, (int H, int W) kernelSize, (int H, int W) stride, (int H, int W) padding,
                  (int H, int W) dilation, int groups = 1, bool bias = true, Generator? generator = null)
    {
        if (inChannels <= 0 || outChannels <= 0 || groups <= 0)
            throw new ArgumentException($"Conv2d: channels and groups must be positive, got in={inChannels}, out={outChannels}, groups={groups}.");
        if (inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"Conv2d: in_channels {inChannels} and out_channels {outChannels} must both be divisible by groups {groups}.");
        if (kernelSize.H <= 0 || kernelSize.W <= 0 || stride.H <= 0 || stride.W <= 0 || dilation.H <= 0 || dilation.W <= 0 ||
            padding.H < 0 || padding.W < 0)
            throw new ArgumentException(
                $"Conv2d: kernel_size {kernelSize}, stride {stride} and dilation {dilation} must be positive and padding {padding} non-negative.");
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        Dilation = dilation;
        Groups = groups;
        var gen = generator ?? Generator.Default;
        int fanIn = inChannels / groups * kernelSize.H * kernelSize.W;
        float bound = 1f / MathF.Sqrt(fanIn);
        using (TensorScope.Suspend())
        {
            Weight = RegisterParameter("weight",
                Init.Uniform([outChannels, inChannels / groups, kernelSize.H, kernelSize.W], -bound, bound, gen));
            if (bias) Bias = RegisterParameter("bias", Init.Uniform([outChannels], -bound, bound, gen));
        }
    }

    /// <summary>Square kernel, and the same stride, padding and dilation along both axes.</summary>
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int dilation = 1,
                  int groups = 1, bool bias = true, Generator? generator = null)
        : this(inChannels, outChannels, (kernelSize, kernelSize), (stride, stride), (padding, padding), (dilation, dilation),
               groups, bias, generator)
    {
    }

    public int InChannels { get; }
    public int OutChannels { get; }
    public (int H, int W) KernelSize { get; }
    public (int H, int W) Stride { get; }
    public (int H, int W) Padding { get; }
    public (int H, int W) Dilation { get; }
    public int Groups { get; }
    public Tensor Weight { get; private set; }
    public Tensor? Bias { get; private set; }

    public override Tensor Forward(Tensor input) => input.Conv2d(Weight, Bias, Stride, Padding, Dilation, Groups);

    /// <summary>ONNX Conv with the same kernel, stride, padding (begin and end alike), dilation and groups.</summary>
    public string ExportOnnx(OnnxGraphBuilder g, string input)
    {
        var inputs = new List<string> { input, g.Parameter(this, "weight", Weight) };
        if (Bias != null) inputs.Add(g.Parameter(this, "bias", Bias));
        return g.Node("Conv", inputs,
            ("kernel_shape", new[] { KernelSize.H, KernelSize.W }), ("strides", new[] { Stride.H, Stride.W }),
            ("pads", new[] { Padding.H, Padding.W, Padding.H, Padding.W }), ("dilations", new[] { Dilation.H, Dilation.W }),
            ("group", Groups));
    }

    /// <summary>2·(inC/groups·kH·kW) per output element: the multiply-adds (the bias add is not counted, as in Linear).</summary>
    public override double ForwardFlops(int[] inputShape, int[] outputShape) =>
        2.0 * Shape.Count(outputShape) * (InChannels / Groups) * KernelSize.H * KernelSize.W;

    protected override void OnTensorReplaced(string name, Tensor tensor)
    {
        if (name == "weight") Weight = tensor;
        else Bias = tensor;
    }

    /// <summary>PyTorch's repr: non-default settings only, e.g. <c>Conv2d(3, 64, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))</c>.</summary>
    protected override string Describe()
    {
        static string Pair((int H, int W) p) => $"({p.H}, {p.W})";
        var text = $"Conv2d({InChannels}, {OutChannels}, kernel_size={Pair(KernelSize)}, stride={Pair(Stride)}";
        if (Padding != (0, 0)) text += $", padding={Pair(Padding)}";
        if (Dilation != (1, 1)) text += $", dilation={Pair(Dilation)}";
        if (Groups != 1) text += $", groups={Groups}";
        if (Bias == null) text += ", bias=False";
        return text + ")";
    }
}
