using Tensorlet.NN;
using Tensorlet.Onnx;

namespace Tensorlet.Models;

/// <summary>How a residual block's shortcut changes shape when a stage changes resolution or width (He et al., 2016, §3.3).</summary>
public enum Shortcut
{
    /// <summary>Option A: strided identity, zero-padded channels; parameter-free (the paper's CIFAR models).</summary>
    A,
    /// <summary>Option B: 1×1 convolution + batch norm projection where the shape changes (torchvision's downsample).</summary>
    B,
}

/// <summary>Which residual block a <see cref="ResNet"/> stacks.</summary>
public enum BlockKind
{
    /// <summary><see cref="BasicBlock"/>: two 3×3 convolutions, expansion 1.</summary>
    Basic,
    /// <summary><see cref="Bottleneck"/>: 1×1 → 3×3 → 1×1, expansion 4.</summary>
    Bottleneck,
}

/// <summary>
/// Layout of a <see cref="ResNet"/>: block, blocks and planes per stage, stem, shortcut and per-block options.
/// Every member of the family here (ResNet, ResNeXt, SE-ResNet, SE-ResNeXt; CIFAR and ImageNet) is one of these.
/// </summary>
/// <param name="Block">Block type.</param>
/// <param name="Layers">Blocks per stage; the first stage keeps the resolution, each later one halves it.</param>
/// <param name="Planes">Planes per stage (a bottleneck outputs 4× planes).</param>
/// <param name="ImageNetStem">True: conv 7×7/2 + BN + ReLU + max pool 3×3/2; false: CIFAR's conv 3×3/1 + BN + ReLU.</param>
/// <param name="StemWidth">Output channels of the stem convolution.</param>
/// <param name="Shortcut">Shortcut where a block changes shape.</param>
/// <param name="Options">Grouping and SE inside the blocks.</param>
public sealed record ResNetSpec(BlockKind Block, int[] Layers, int[] Planes, bool ImageNetStem, int StemWidth,
                                Shortcut Shortcut = Shortcut.B, BlockOptions? Options = null);

/// <summary>
/// Deep residual networks (He et al., 2016). The ImageNet models are laid out exactly like torchvision's
/// (conv1, bn1, maxpool, layer1..layer4, avgpool, fc; downsample = 1×1 conv + BN), so state-dict names and shapes
/// match torchvision's <c>resnet18</c> ... <c>resnet152</c>. The CIFAR models follow §4.2: a 3×3 conv to 16
/// channels, three stages of n basic blocks with 16/32/64 channels (depth 6n + 2), global average pooling and a
/// linear classifier, with option A shortcuts by default. Global pooling lets any model take any input size
/// that survives its downsampling (e.g. 1×28×28).
/// See <see cref="ResNeXt"/> and <see cref="SENet"/> for the relatives built from the same blocks.
/// </summary>
public sealed class ResNet : Module, IOnnxExportable
{
    private readonly Conv2d _conv1;
    private readonly BatchNorm2d _bn1;
    private readonly MaxPool2d? _maxpool;
    private readonly Sequential[] _stages;
    private readonly AdaptiveAvgPool2d _avgpool;
    private readonly Linear _fc;

    public ResNet(ResNetSpec spec, int numClasses = 1000, int inChannels = 3, Generator? generator = null)
    {
        if (spec.Layers.Length == 0 || spec.Layers.Length != spec.Planes.Length)
            throw new ArgumentException($"ResNet: need one planes value per stage, got {spec.Layers.Length} stages and {spec.Planes.Length} planes.");
        if (numClasses <= 0 || inChannels <= 0)
            throw new ArgumentException($"ResNet: numClasses ({numClasses}) and inChannels ({inChannels}) must be positive.");
        Spec = spec;
        var options = spec.Options ?? BlockOptions.Default;
        _conv1 = RegisterModule("conv1", spec.ImageNetStem
            ? new Conv2d(inChannels, spec.StemWidth, 7, 2, 3, bias: false, generator: generator)
            : new Conv2d(inChannels, spec.StemWidth, 3, 1, 1, bias: false, generator: generator));
        _bn1 = RegisterModule("bn1", new BatchNorm2d(spec.StemWidth));
        if (spec.ImageNetStem) _maxpool = RegisterModule("maxpool", new MaxPool2d(3, 2, 1));

        int inPlanes = spec.StemWidth;
        _stages = new Sequential[spec.Layers.Length];
        for (int s = 0; s < _stages.Length; s++)
        {
            var stage = new Sequential();
            for (int b = 0; b < spec.Layers[s]; b++)
            {
                int stride = s > 0 && b == 0 ? 2 : 1;
                var block = MakeBlock(spec, inPlanes, spec.Planes[s], stride, options, generator);
                stage.Add(block);
                inPlanes = block.OutChannels;
            }
            _stages[s] = RegisterModule($"layer{s + 1}", stage);
        }
        _avgpool = RegisterModule("avgpool", new AdaptiveAvgPool2d(1));
        _fc = RegisterModule("fc", new Linear(inPlanes, numClasses, generator: generator));
        FeatureChannels = inPlanes;
        InitializeLikeTorchvision(generator ?? Generator.Default);
    }

    /// <summary>The layout this model was built from.</summary>
    public ResNetSpec Spec { get; }

    /// <summary>Channels entering the classifier.</summary>
    public int FeatureChannels { get; }

    private static ResidualBlock MakeBlock(ResNetSpec spec, int inPlanes, int planes, int stride, BlockOptions options, Generator? generator)
    {
        int outChannels = planes * (spec.Block == BlockKind.Basic ? BasicBlock.Expansion : Bottleneck.Expansion);
        Module? downsample = null;
        if (stride != 1 || inPlanes != outChannels)
            downsample = spec.Shortcut == Shortcut.A
                ? new ZeroPadShortcut(inPlanes, outChannels, stride)
                : new Sequential(new Conv2d(inPlanes, outChannels, 1, stride, bias: false, generator: generator), new BatchNorm2d(outChannels));
        return spec.Block == BlockKind.Basic
            ? new BasicBlock(inPlanes, planes, stride, downsample, options, generator)
            : new Bottleneck(inPlanes, planes, stride, downsample, options, generator);
    }

    /// <summary>
    /// He-normal (fan_out, ReLU gain) convolution weights, as torchvision and the paper (§3.4) do: PyTorch's default
    /// uniform init is tuned for shallow nets and shrinks activations through 100+ layers. Batch norm already starts at
    /// weight 1, bias 0; SE and the classifier keep their layers' default init.
    /// </summary>
    private void InitializeLikeTorchvision(Generator generator)
    {
        var seConvs = NamedModules().Select(m => m.Module).OfType<SqueezeExcitation>()
            .SelectMany(se => se.NamedModules().Select(m => m.Module)).ToHashSet();
        foreach (var (_, module) in NamedModules())
            if (module is Conv2d conv && !seConvs.Contains(conv))
                Init.KaimingNormal(conv.Weight, generator, mode: FanMode.FanOut, nonlinearity: "relu");
    }

    public override Tensor Forward(Tensor input)
    {
        var x = _bn1.Call(_conv1.Call(input)).Relu();
        if (_maxpool != null) x = _maxpool.Call(x);
        foreach (var stage in _stages) x = stage.Call(x);
        return _fc.Call(_avgpool.Call(x).Flatten(1));
    }

    public string ExportOnnx(OnnxGraphBuilder g, string input)
    {
        var x = g.Relu(g.Emit(_bn1, g.Emit(_conv1, input)));
        if (_maxpool != null) x = g.Emit(_maxpool, x);
        x = g.EmitChain(_stages, x);
        return g.Emit(_fc, g.Flatten(g.Emit(_avgpool, x)));
    }

    // ---- CIFAR (He et al., 2016, §4.2): depth 6n + 2, 16/32/64 channels, basic blocks ----

    /// <summary>CIFAR ResNet of depth 6n + 2 (20, 32, 44, 56, 110, 1202, ...).</summary>
    public static ResNet Cifar(int depth, int numClasses = 10, int inChannels = 3, Shortcut shortcut = Shortcut.A,
                               Generator? generator = null, BlockOptions? options = null)
    {
        if (depth < 8 || (depth - 2) % 6 != 0)
            throw new ArgumentException($"ResNet.Cifar: depth must be 6n + 2 with n ≥ 1 (20, 32, 44, 56, 110, ...), got {depth}.");
        int n = (depth - 2) / 6;
        var spec = new ResNetSpec(BlockKind.Basic, [n, n, n], [16, 32, 64], ImageNetStem: false, StemWidth: 16, shortcut, options);
        return new ResNet(spec, numClasses, inChannels, generator);
    }

    /// <summary>CIFAR ResNet-20 (0.27 M parameters with option A).</summary>
    public static ResNet Cifar20(int numClasses = 10, int inChannels = 3, Shortcut shortcut = Shortcut.A, Generator? generator = null) =>
        Cifar(20, numClasses, inChannels, shortcut, generator);

    /// <summary>CIFAR ResNet-32 (0.46 M).</summary>
    public static ResNet Cifar32(int numClasses = 10, int inChannels = 3, Shortcut shortcut = Shortcut.A, Generator? generator = null) =>
        Cifar(32, numClasses, inChannels, shortcut, generator);

    /// <summary>CIFAR ResNet-44 (0.66 M).</summary>
    public static ResNet Cifar44(int numClasses = 10, int inChannels = 3, Shortcut shortcut = Shortcut.A, Generator? generator = null) =>
        Cifar(44, numClasses, inChannels, shortcut, generator);

    /// <summary>CIFAR ResNet-56 (0.85 M).</summary>
    public static ResNet Cifar56(int numClasses = 10, int inChannels = 3, Shortcut shortcut = Shortcut.A, Generator? generator = null) =>
        Cifar(56, numClasses, inChannels, shortcut, generator);

    /// <summary>CIFAR ResNet-110 (1.7 M).</summary>
    public static ResNet Cifar110(int numClasses = 10, int inChannels = 3, Shortcut shortcut = Shortcut.A, Generator? generator = null) =>
        Cifar(110, numClasses, inChannels, shortcut, generator);

    // ---- ImageNet (He et al., 2016, Table 1), torchvision layout ----

    /// <summary>ImageNet layout with the torchvision stem and planes 64/128/256/512.</summary>
    public static ResNet ImageNet(BlockKind block, int[] layers, int numClasses = 1000, int inChannels = 3,
                                  Generator? generator = null, BlockOptions? options = null) =>
        new(new ResNetSpec(block, layers, [64, 128, 256, 512], ImageNetStem: true, StemWidth: 64, Shortcut.B, options),
            numClasses, inChannels, generator);

    /// <summary>ResNet-18 (torchvision <c>resnet18</c>, 11.7 M).</summary>
    public static ResNet ResNet18(int numClasses = 1000, int inChannels = 3, Generator? generator = null) =>
        ImageNet(BlockKind.Basic, [2, 2, 2, 2], numClasses, inChannels, generator);

    /// <summary>ResNet-34 (torchvision <c>resnet34</c>, 21.8 M).</summary>
    public static ResNet ResNet34(int numClasses = 1000, int inChannels = 3, Generator? generator = null) =>
        ImageNet(BlockKind.Basic, [3, 4, 6, 3], numClasses, inChannels, generator);

    /// <summary>ResNet-50 (torchvision <c>resnet50</c>, 25.6 M).</summary>
    public static ResNet ResNet50(int numClasses = 1000, int inChannels = 3, Generator? generator = null) =>
        ImageNet(BlockKind.Bottleneck, [3, 4, 6, 3], numClasses, inChannels, generator);

    /// <summary>ResNet-101 (torchvision <c>resnet101</c>, 44.5 M).</summary>
    public static ResNet ResNet101(int numClasses = 1000, int inChannels = 3, Generator? generator = null) =>
        ImageNet(BlockKind.Bottleneck, [3, 4, 23, 3], numClasses, inChannels, generator);

    /// <summary>ResNet-152 (torchvision <c>resnet152</c>, 60.2 M).</summary>
    public static ResNet ResNet152(int numClasses = 1000, int inChannels = 3, Generator? generator = null) =>
        ImageNet(BlockKind.Bottleneck, [3, 8, 36, 3], numClasses, inChannels, generator);
}
