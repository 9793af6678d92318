using Tensorlet.NN;
using Tensorlet.Onnx;

namespace Tensorlet.Models;

/// <summary>
/// What varies between members of the ResNet family inside one block: grouped 3×3 convolutions (ResNeXt's
/// cardinality and width per group) and an optional squeeze-and-excitation gate (SENet).
/// </summary>
/// <param name="Groups">Cardinality C of the 3×3 convolution (1 for ResNet).</param>
/// <param name="WidthPerGroup">Bottleneck width d per group at planes = 64 (64 for ResNet; torchvision's width_per_group).</param>
/// <param name="SeReduction">Reduction r of a squeeze-and-excitation gate on the residual branch; 0 for none.</param>
public sealed record BlockOptions(int Groups = 1, int WidthPerGroup = 64, int SeReduction = 0)
{
    /// <summary>Plain ResNet blocks.</summary>
    public static BlockOptions Default { get; } = new();
}

/// <summary>
/// Shared tail of <see cref="BasicBlock"/> and <see cref="Bottleneck"/>: out = relu(SE(F(x)) + shortcut(x)).
/// SE sits on the residual branch before the addition (Hu et al., Fig. 3), so the identity path stays untouched.
/// Subclasses build F and call <see cref="RegisterTail"/> last, so names follow torchvision's order.
/// </summary>
public abstract class ResidualBlock : Module, IOnnxExportable
{
    private SqueezeExcitation? _se;
    private Module? _downsample;

    /// <summary>Channels out of the block.</summary>
    public abstract int OutChannels { get; }

    /// <summary>The residual branch F(x), ending with batch norm (no final ReLU).</summary>
    protected abstract Tensor Residual(Tensor input);

    /// <summary>Registers the optional SE gate (as <c>se</c>) and shortcut (as <c>downsample</c>, torchvision's name).</summary>
    protected void RegisterTail(Module? downsample, BlockOptions options, Generator? generator)
    {
        if (options.SeReduction > 0)
            _se = RegisterModule("se", new SqueezeExcitation(OutChannels, options.SeReduction, generator));
        if (downsample != null) _downsample = RegisterModule("downsample", downsample);
    }

    public sealed override Tensor Forward(Tensor input)
    {
        var branch = Residual(input);
        if (_se != null) branch = _se.Call(branch);
        var identity = _downsample != null ? _downsample.Call(input) : input;
        return branch.AddRelu(identity);
    }

    /// <summary>The residual branch F(x) as ONNX nodes (<see cref="Residual"/>'s dataflow).</summary>
    protected abstract string ExportResidual(OnnxGraphBuilder g, string input);

    public string ExportOnnx(OnnxGraphBuilder g, string input)
    {
        var branch = ExportResidual(g, input);
        if (_se != null) branch = g.Emit(_se, branch);
        var identity = _downsample != null ? g.Emit(_downsample, input) : input;
        return g.Relu(g.Add(branch, identity));
    }
}

/// <summary>
/// Two 3×3 convolutions with batch norm (He et al., 2016, Fig. 2 left); the block of ResNet-18/34 and the CIFAR
/// ResNets. Names as torchvision's: conv1, bn1, conv2, bn2, downsample.
/// </summary>
public sealed class BasicBlock : ResidualBlock
{
    /// <summary>Output channels are planes × 1.</summary>
    public const int Expansion = 1;

    private readonly Conv2d _conv1, _conv2;
    private readonly BatchNorm2d _bn1, _bn2;

    public BasicBlock(int inPlanes, int planes, int stride = 1, Module? downsample = null, BlockOptions? options = null,
                      Generator? generator = null)
    {
        options ??= BlockOptions.Default;
        // Like torchvision: the basic block has no bottleneck, so cardinality and width per group have no meaning.
        if (options.Groups != 1 || options.WidthPerGroup != 64)
            throw new ArgumentException($"BasicBlock: only groups = 1 and width_per_group = 64 are supported, got {options.Groups} and {options.WidthPerGroup}.");
        OutChannels = planes * Expansion;
        _conv1 = RegisterModule("conv1", new Conv2d(inPlanes, planes, 3, stride, 1, bias: false, generator: generator));
        _bn1 = RegisterModule("bn1", new BatchNorm2d(planes));
        _conv2 = RegisterModule("conv2", new Conv2d(planes, planes, 3, 1, 1, bias: false, generator: generator));
        _bn2 = RegisterModule("bn2", new BatchNorm2d(planes));
        RegisterTail(downsample, options, generator);
    }

    public override int OutChannels { get; }

    protected override Tensor Residual(Tensor input) =>
        _bn2.Call(_conv2.Call(_bn1.Call(_conv1.Call(input)).Relu()));

    protected override string ExportResidual(OnnxGraphBuilder g, string input) =>
        g.Emit(_bn2, g.Emit(_conv2, g.Relu(g.Emit(_bn1, g.Emit(_conv1, input)))));
}

/// <summary>
/// 1×1 reduce → 3×3 (strided, grouped) → 1×1 expand ×4, each with batch norm (He et al., 2016, Fig. 5 right).
/// The stride is on the 3×3 convolution ("ResNet v1.5", as torchvision and the ResNeXt code). Inner width is
/// ⌊planes · d / 64⌋ · C, so C = 1, d = 64 gives ResNet and C = 32, d = 4 gives ResNeXt-50 (torchvision's formula).
/// </summary>
public sealed class Bottleneck : ResidualBlock
{
    /// <summary>Output channels are planes × 4.</summary>
    public const int Expansion = 4;

    private readonly Conv2d _conv1, _conv2, _conv3;
    private readonly BatchNorm2d _bn1, _bn2, _bn3;

    public Bottleneck(int inPlanes, int planes, int stride = 1, Module? downsample = null, BlockOptions? options = null,
                      Generator? generator = null)
    {
        options ??= BlockOptions.Default;
        if (options.Groups <= 0 || options.WidthPerGroup <= 0)
            throw new ArgumentException($"Bottleneck: groups ({options.Groups}) and width_per_group ({options.WidthPerGroup}) must be positive.");
        int width = planes * options.WidthPerGroup / 64 * options.Groups;
        Width = width;
        OutChannels = planes * Expansion;
        _conv1 = RegisterModule("conv1", new Conv2d(inPlanes, width, 1, bias: false, generator: generator));
        _bn1 = RegisterModule("bn1", new BatchNorm2d(width));
        _conv2 = RegisterModule("conv2", new Conv2d(width, width, 3, stride, 1, groups: options.Groups, bias: false, generator: generator));
        _bn2 = RegisterModule("bn2", new BatchNorm2d(width));
        _conv3 = RegisterModule("conv3", new Conv2d(width, OutChannels, 1, bias: false, generator: generator));
        _bn3 = RegisterModule("bn3", new BatchNorm2d(OutChannels));
        RegisterTail(downsample, options, generator);
    }

    /// <summary>Channels of the inner (grouped) 3×3 convolution.</summary>
    public int Width { get; }

    public override int OutChannels { get; }

    protected override Tensor Residual(Tensor input)
    {
        var h = _bn1.Call(_conv1.Call(input)).Relu();
        h = _bn2.Call(_conv2.Call(h)).Relu();
        return _bn3.Call(_conv3.Call(h));
    }

    protected override string ExportResidual(OnnxGraphBuilder g, string input)
    {
        var h = g.Relu(g.Emit(_bn1, g.Emit(_conv1, input)));
        h = g.Relu(g.Emit(_bn2, g.Emit(_conv2, h)));
        return g.Emit(_bn3, g.Emit(_conv3, h));
    }
}
