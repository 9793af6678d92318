using Tensorlet.NN;
using Tensorlet.Onnx;

namespace Tensorlet.Models;

/// <summary>
/// VGG (Simonyan &amp; Zisserman, "Very Deep Convolutional Networks for Large-Scale Image Recognition", ICLR 2015):
/// configurations A, B, D and E (VGG-11/13/16/19), each with or without batch norm after every convolution.
/// <para>
/// ImageNet layout (<see cref="Vgg11"/> ... <see cref="Vgg19"/>): exactly torchvision's <c>vgg11</c> ... <c>vgg19_bn</c> —
/// <c>features</c> (3×3 convs with padding 1, [BatchNorm2d], ReLU, and 2×2/2 max pools, flat in one Sequential so the
/// indices match), <c>avgpool</c> = AdaptiveAvgPool2d(7, 7), <c>classifier</c> = Linear(25088, 4096)-ReLU-Dropout-
/// Linear(4096, 4096)-ReLU-Dropout-Linear(4096, classes). State-dict names therefore match torchvision's
/// (<c>features.0.weight</c>, <c>classifier.6.bias</c>, ...) and its weights load as they are.
/// </para>
/// <para>
/// CIFAR layout (<see cref="Vgg11Cifar"/> ...): the same <c>features</c>, then <c>avgpool</c> = AdaptiveAvgPool2d(1) and
/// <c>classifier</c> = Linear(512, classes) — the single-linear head of the widely used pytorch-cifar VGG. Its max pools
/// use ceil mode so small inputs survive all five: 32 → 16 → 8 → 4 → 2 → 1 (identical to floor mode, since every size
/// is even) and 28 → 14 → 7 → 4 → 2 → 1 (floor mode would reach 0). The global average pool is the identity on the
/// 1×1 map of 32×32 or 28×28 inputs, and keeps the head at 512 inputs for larger ones.
/// </para>
/// </summary>
public sealed class Vgg : Module, IOnnxExportable
{
    /// <summary>The paper's configurations: numbers are 3×3 conv widths, 0 is a 2×2/2 max pool.</summary>
    private static readonly IReadOnlyDictionary<char, int[]> Configs = new Dictionary<char, int[]>
    {
        ['A'] = [64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0],
        ['B'] = [64, 64, 0, 128, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0],
        ['D'] = [64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0],
        ['E'] = [64, 64, 0, 128, 128, 0, 256, 256, 256, 256, 0, 512, 512, 512, 512, 0, 512, 512, 512, 512, 0],
    };

    private readonly Sequential _features;
    private readonly AdaptiveAvgPool2d _avgpool;
    private readonly Module _classifier;

    /// <summary>Builds configuration <paramref name="config"/> ('A', 'B', 'D' or 'E') with the ImageNet or the CIFAR head.</summary>
    /// <param name="widthDivisor">Divides every convolution's width (and so the classifier's input) by this: 1 is the paper's
    /// 64-128-256-512-512; 4 gives the narrow 16-32-64-128-128 of <see cref="Vgg11CifarNarrow"/>. The depth and the
    /// layout of the configuration are unchanged.</param>
    public Vgg(char config, bool batchNorm, bool cifar, int numClasses = 1000, int inChannels = 3, float dropout = 0.5f,
               Generator? generator = null, int widthDivisor = 1)
    {
        if (!Configs.TryGetValue(char.ToUpperInvariant(config), out var cfg))
            throw new ArgumentException($"Vgg: unknown configuration '{config}', expected A, B, D or E.", nameof(config));
        if (numClasses <= 0) throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "Vgg: numClasses must be positive.");
        if (inChannels <= 0) throw new ArgumentOutOfRangeException(nameof(inChannels), inChannels, "Vgg: inChannels must be positive.");
        if (widthDivisor <= 0 || 64 % widthDivisor != 0)
            throw new ArgumentOutOfRangeException(nameof(widthDivisor), widthDivisor, "Vgg: widthDivisor must divide 64 (1, 2, 4, 8, ...).");
        Config = char.ToUpperInvariant(config);
        BatchNorm = batchNorm;
        IsCifar = cifar;
        WidthDivisor = widthDivisor;
        int last = 512 / widthDivisor;
        _features = RegisterModule("features", MakeFeatures(cfg.Select(v => v / widthDivisor).ToArray(), batchNorm, inChannels,
                                                            ceilMode: cifar, generator));
        if (cifar)
        {
            _avgpool = RegisterModule("avgpool", new AdaptiveAvgPool2d(1));
            _classifier = RegisterModule("classifier", new Linear(last, numClasses, generator: generator));
        }
        else
        {
            _avgpool = RegisterModule("avgpool", new AdaptiveAvgPool2d((7, 7)));
            _classifier = RegisterModule("classifier", new Sequential(
                new Linear(last * 7 * 7, 4096, generator: generator), new ReLU(), new Dropout(dropout, generator),
                new Linear(4096, 4096, generator: generator), new ReLU(), new Dropout(dropout, generator),
                new Linear(4096, numClasses, generator: generator)));
        }
    }

    /// <summary>'A', 'B', 'D' or 'E'.</summary>
    public char Config { get; }

    /// <summary>Whether every convolution is followed by BatchNorm2d (torchvision's <c>_bn</c> models; their convs keep a bias).</summary>
    public bool BatchNorm { get; }

    /// <summary>True for the CIFAR layout (ceil-mode pools, global pooling, Linear(512, classes)).</summary>
    public bool IsCifar { get; }

    /// <summary>What the paper's widths were divided by (1 for the paper's networks).</summary>
    public int WidthDivisor { get; }

    private static Sequential MakeFeatures(int[] cfg, bool batchNorm, int inChannels, bool ceilMode, Generator? generator)
    {
        var layers = new Sequential();
        int c = inChannels;
        foreach (int v in cfg)
        {
            if (v == 0)
            {
                layers.Add(new MaxPool2d(2, 2, ceilMode: ceilMode));
                continue;
            }
            // torchvision keeps the conv bias even before batch norm; we do the same so the state dicts line up.
            layers.Add(new Conv2d(c, v, 3, padding: 1, generator: generator));
            if (batchNorm) layers.Add(new BatchNorm2d(v));
            layers.Add(new ReLU());
            c = v;
        }
        return layers;
    }

    public override Tensor Forward(Tensor input) =>
        _classifier.Call(_avgpool.Call(_features.Call(input)).Flatten(1));

    public string ExportOnnx(OnnxGraphBuilder g, string input) =>
        g.Emit(_classifier, g.Flatten(g.Emit(_avgpool, g.Emit(_features, input))));

    /// <summary>VGG-11 (configuration A), torchvision's <c>vgg11</c> / <c>vgg11_bn</c>.</summary>
    public static Vgg Vgg11(bool batchNorm = false, int numClasses = 1000, int inChannels = 3, Generator? generator = null) =>
        new('A', batchNorm, cifar: false, numClasses, inChannels, generator: generator);

    /// <summary>VGG-13 (configuration B), torchvision's <c>vgg13</c> / <c>vgg13_bn</c>.</summary>
    public static Vgg Vgg13(bool batchNorm = false, int numClasses = 1000, int inChannels = 3, Generator? generator = null) =>
        new('B', batchNorm, cifar: false, numClasses, inChannels, generator: generator);

    /// <summary>VGG-16 (configuration D), torchvision's <c>vgg16</c> / <c>vgg16_bn</c>.</summary>
    public static Vgg Vgg16(bool batchNorm = false, int numClasses = 1000, int inChannels = 3, Generator? generator = null) =>
        new('D', batchNorm, cifar: false, numClasses, inChannels, generator: generator);

    /// <summary>VGG-19 (configuration E), torchvision's <c>vgg19</c> / <c>vgg19_bn</c>.</summary>
    public static Vgg Vgg19(bool batchNorm = false, int numClasses = 1000, int inChannels = 3, Generator? generator = null) =>
        new('E', batchNorm, cifar: false, numClasses, inChannels, generator: generator);

    /// <summary>VGG-11 for 32×32 (or 28×28) images: configuration A with the CIFAR head.</summary>
    public static Vgg Vgg11Cifar(bool batchNorm = true, int numClasses = 10, int inChannels = 3, Generator? generator = null) =>
        new('A', batchNorm, cifar: true, numClasses, inChannels, generator: generator);

    /// <summary>
    /// A narrow VGG-11 for quick runs: configuration A with batch norm and the CIFAR head, every width divided by
    /// <paramref name="widthDivisor"/> (default 4: 16-32-64-64-128-128-128-128, 0.58 M parameters instead of 9.2 M).
    /// </summary>
    public static Vgg Vgg11CifarNarrow(int widthDivisor = 4, int numClasses = 10, int inChannels = 3, Generator? generator = null) =>
        new('A', batchNorm: true, cifar: true, numClasses, inChannels, generator: generator, widthDivisor: widthDivisor);

    /// <summary>VGG-13 for 32×32 (or 28×28) images: configuration B with the CIFAR head.</summary>
    public static Vgg Vgg13Cifar(bool batchNorm = true, int numClasses = 10, int inChannels = 3, Generator? generator = null) =>
        new('B', batchNorm, cifar: true, numClasses, inChannels, generator: generator);

    /// <summary>VGG-16 for 32×32 (or 28×28) images: configuration D with the CIFAR head.</summary>
    public static Vgg Vgg16Cifar(bool batchNorm = true, int numClasses = 10, int inChannels = 3, Generator? generator = null) =>
        new('D', batchNorm, cifar: true, numClasses, inChannels, generator: generator);

    /// <summary>VGG-19 for 32×32 (or 28×28) images: configuration E with the CIFAR head.</summary>
    public static Vgg Vgg19Cifar(bool batchNorm = true, int numClasses = 10, int inChannels = 3, Generator? generator = null) =>
        new('E', batchNorm, cifar: true, numClasses, inChannels, generator: generator);
}
