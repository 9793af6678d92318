using Tensorlet.NN;
using Tensorlet.Onnx;

namespace Tensorlet.Models;

/// <summary>
/// DenseNet (Huang et al., CVPR 2017, "Densely Connected Convolutional Networks"): inside a dense block every layer
/// receives the concatenation of the block input and of all earlier layers' outputs and adds <c>growth</c> (k) new
/// channels; transitions (BN → ReLU → 1×1 conv → 2×2 average pooling) shrink the maps between blocks and, with
/// compression θ &lt; 1, the channels too. The layer composite is BN → ReLU → 3×3 conv, or with the bottleneck
/// (DenseNet-B) BN → ReLU → 1×1 conv to 4k → BN → ReLU → 3×3 conv to k. The head is BN → ReLU → global average
/// pooling → linear.
/// <para>
/// Names follow torchvision (<c>features.conv0</c>, <c>features.denseblock1.denselayer1.norm1/conv1/norm2/conv2</c>,
/// <c>features.transition1.norm/conv</c>, <c>features.norm5</c>, <c>classifier</c>) for every configuration, so an
/// ImageNet model's state dict loads torchvision's weights key for key. In a layer without bottleneck the single
/// 3×3 convolution is <c>norm1/conv1</c>.
/// </para>
/// </summary>
public sealed class DenseNet : Module, IOnnxExportable
{
    private readonly NamedSequential _features;
    private readonly Linear _classifier;

    /// <summary>
    /// A DenseNet of any shape. <paramref name="imageNetStem"/> selects torchvision's 7×7/2 conv → BN → ReLU → 3×3/2
    /// max pool stem; otherwise the stem is the CIFAR one, a single 3×3 convolution (the first block's BN-ReLU follows).
    /// </summary>
    /// <param name="blockLayers">Layers per dense block.</param>
    /// <param name="growth">Growth rate k: channels each layer adds.</param>
    /// <param name="initChannels">Channels of the first convolution.</param>
    /// <param name="bottleneck">Use the 1×1 bottleneck to <paramref name="bottleneckWidth"/>·k channels before each 3×3 conv.</param>
    /// <param name="compression">θ: a transition keeps ⌊θ·channels⌋ channels.</param>
    /// <param name="dropRate">Dropout after every convolution of the dense layers and transitions (the authors' C10/C100 runs
    /// without augmentation use 0.2); 0 disables it.</param>
    public DenseNet(int[] blockLayers, int growth, int initChannels, bool bottleneck, float compression, bool imageNetStem,
                    int numClasses = 10, int inChannels = 3, float dropRate = 0f, int bottleneckWidth = 4, Generator? generator = null)
    {
        if (blockLayers.Length == 0 || blockLayers.Any(n => n <= 0))
            throw new ArgumentException($"DenseNet: every block needs at least one layer, got [{string.Join(", ", blockLayers)}].");
        if (growth <= 0 || initChannels <= 0 || numClasses <= 0 || inChannels <= 0)
            throw new ArgumentException($"DenseNet: growth {growth}, initChannels {initChannels}, numClasses {numClasses} and inChannels {inChannels} must be positive.");
        if (compression <= 0 || compression > 1)
            throw new ArgumentOutOfRangeException(nameof(compression), compression, "DenseNet: compression θ must be in (0, 1].");

        _features = new NamedSequential();
        if (imageNetStem)
        {
            _features.Add("conv0", new Conv2d(inChannels, initChannels, 7, stride: 2, padding: 3, bias: false, generator: generator))
                     .Add("norm0", new BatchNorm2d(initChannels))
                     .Add("relu0", new ReLU())
                     .Add("pool0", new MaxPool2d(3, 2, 1));
        }
        else
        {
            _features.Add("conv0", new Conv2d(inChannels, initChannels, 3, padding: 1, bias: false, generator: generator));
        }

        int channels = initChannels;
        for (int b = 0; b < blockLayers.Length; b++)
        {
            var block = new DenseBlock(blockLayers[b], channels, growth, bottleneck ? bottleneckWidth * growth : 0, dropRate, generator);
            _features.Add($"denseblock{b + 1}", block);
            channels += blockLayers[b] * growth;
            if (b == blockLayers.Length - 1) break;
            int outChannels = (int)Math.Floor(channels * (double)compression);
            _features.Add($"transition{b + 1}", new NamedSequential()
                .AddBnReluConv("", channels, outChannels, 1, dropRate, generator)
                .Add("pool", new AvgPool2d(2, 2)));
            channels = outChannels;
        }
        _features.Add($"norm{blockLayers.Length + 1}", new BatchNorm2d(channels));
        RegisterModule("features", _features);
        _classifier = RegisterModule("classifier", new Linear(channels, numClasses, generator: generator));
        FeatureChannels = channels;
    }

    /// <summary>Channels entering the classifier.</summary>
    public int FeatureChannels { get; }

    // The head's ReLU and pooling sit outside `features`, as in torchvision; global pooling (rather than the authors'
    // fixed 8×8 window) gives the same result at 32×32 and also accepts 28×28 inputs.
    public override Tensor Forward(Tensor input) =>
        _classifier.Call(_features.Call(input).Relu().Mean([2, 3], keepDim: false));

    public string ExportOnnx(OnnxGraphBuilder g, string input) =>
        g.Emit(_classifier, g.Flatten(g.GlobalAveragePool(g.Relu(g.Emit(_features, input)))));

    /// <summary>
    /// CIFAR DenseNet (paper Table 2, no bottleneck, θ = 1): 3 blocks of (depth − 4)/3 layers. The first convolution
    /// has 16 channels as the paper states (the authors' Torch script starts every model at 2k, which would give
    /// 1.06 M / 7.08 M / 28.07 M and miss the paper's counts). For 10 classes: L = 40, k = 12 → 1,019,722 parameters
    /// (paper 1.0 M); L = 100, k = 12 → 6,979,642 (7.0 M); L = 100, k = 24 → 27,249,082 (27.2 M).
    /// </summary>
    public static DenseNet Cifar(int depth = 40, int growth = 12, int numClasses = 10, int inChannels = 3, float dropRate = 0f,
                                 Generator? generator = null)
    {
        if (depth < 7 || (depth - 4) % 3 != 0)
            throw new ArgumentException($"DenseNet.Cifar: depth − 4 must be a positive multiple of 3, got depth {depth}.");
        int n = (depth - 4) / 3;
        return new DenseNet([n, n, n], growth, 16, bottleneck: false, compression: 1f, imageNetStem: false,
                            numClasses, inChannels, dropRate, generator: generator);
    }

    /// <summary>
    /// CIFAR DenseNet-BC (paper Table 2): 3 blocks of (depth − 4)/6 bottleneck layers, first conv 2k channels, θ = 0.5.
    /// For 10 classes: L = 100, k = 12 → 769,162 (paper 0.8 M); L = 250, k = 24 → 15,324,406 (15.3 M);
    /// L = 190, k = 40 → 25,624,430 (25.6 M).
    /// </summary>
    public static DenseNet BC(int depth = 100, int growth = 12, int numClasses = 10, int inChannels = 3, float dropRate = 0f,
                              Generator? generator = null)
    {
        if (depth < 10 || (depth - 4) % 6 != 0)
            throw new ArgumentException($"DenseNet.BC: depth − 4 must be a positive multiple of 6, got depth {depth}.");
        int n = (depth - 4) / 6;
        return new DenseNet([n, n, n], growth, 2 * growth, bottleneck: true, compression: 0.5f, imageNetStem: false,
                            numClasses, inChannels, dropRate, generator: generator);
    }

    /// <summary>ImageNet DenseNet-121 (k = 32, blocks 6-12-24-16), torchvision's layout: 7,978,856 parameters.</summary>
    public static DenseNet DenseNet121(int numClasses = 1000, int inChannels = 3, Generator? generator = null) =>
        ImageNet([6, 12, 24, 16], 32, 64, numClasses, inChannels, generator);

    /// <summary>ImageNet DenseNet-169 (k = 32, blocks 6-12-32-32): 14,149,480 parameters.</summary>
    public static DenseNet DenseNet169(int numClasses = 1000, int inChannels = 3, Generator? generator = null) =>
        ImageNet([6, 12, 32, 32], 32, 64, numClasses, inChannels, generator);

    /// <summary>ImageNet DenseNet-201 (k = 32, blocks 6-12-48-32): 20,013,928 parameters.</summary>
    public static DenseNet DenseNet201(int numClasses = 1000, int inChannels = 3, Generator? generator = null) =>
        ImageNet([6, 12, 48, 32], 32, 64, numClasses, inChannels, generator);

    /// <summary>ImageNet DenseNet-161 (k = 48, 96 initial channels, blocks 6-12-36-24): 28,681,000 parameters.</summary>
    public static DenseNet DenseNet161(int numClasses = 1000, int inChannels = 3, Generator? generator = null) =>
        ImageNet([6, 12, 36, 24], 48, 96, numClasses, inChannels, generator);

    private static DenseNet ImageNet(int[] blocks, int growth, int initChannels, int numClasses, int inChannels, Generator? generator) =>
        new(blocks, growth, initChannels, bottleneck: true, compression: 0.5f, imageNetStem: true, numClasses, inChannels, generator: generator);

    /// <summary>
    /// A dense block: layer ℓ sees [x₀, x₁, …, x_{ℓ−1}] concatenated. The block's features live in one
    /// <see cref="ConcatBuffer"/> of c₀ + L·k channels allocated per forward: each layer's output is copied into its slot
    /// once and layer ℓ reads the prefix of the first c₀ + ℓ·k channels as a view, so neither the forward nor the backward
    /// rebuilds the concatenation (O(L) channel-map copies per block instead of O(L²)).
    /// </summary>
    private sealed class DenseBlock : Module, IOnnxExportable
    {
        private readonly List<NamedSequential> _layers = new();
        private readonly int _growth;

        public DenseBlock(int layers, int inChannels, int growth, int bottleneckChannels, float dropRate, Generator? generator)
        {
            _growth = growth;
            for (int i = 0; i < layers; i++)
            {
                int c = inChannels + i * growth;
                var layer = new NamedSequential();
                if (bottleneckChannels > 0)
                    layer.AddBnReluConv("1", c, bottleneckChannels, 1, dropRate, generator)
                         .AddBnReluConv("2", bottleneckChannels, growth, 3, dropRate, generator);
                else
                    layer.AddBnReluConv("1", c, growth, 3, dropRate, generator);
                _layers.Add(RegisterModule($"denselayer{i + 1}", layer));
            }
        }

        public override Tensor Forward(Tensor input)
        {
            using var features = new ConcatBuffer(input, input.Size(1) + _layers.Count * _growth);
            foreach (var layer in _layers)
                features.Append(layer.Call(features.Channels(0, features.Written)));
            return features.Channels(0, features.Written);
        }

        public string ExportOnnx(OnnxGraphBuilder g, string input)
        {
            var features = new List<string> { input };
            foreach (var layer in _layers) features.Add(g.Emit(layer, g.Concat(features)));
            return g.Concat(features);
        }
    }
}
