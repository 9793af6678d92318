using Tensorlet.NN;
using Tensorlet.Onnx;

namespace Tensorlet.Models;

/// <summary>
/// CliqueNet (Yang, Zhong, Shen, Lin, CVPR 2018, "Convolutional Neural Networks with Alternately Updated Clique"),
/// CIFAR layout of the authors' TensorFlow code (iboing/CliqueNet, models/cliquenet.py):
/// a 3×3 convolution to 64 channels (no bias, no BN: the blocks start with BN-ReLU), three <see cref="CliqueBlock"/>s of
/// T/3 layers with k channels each, <see cref="CliqueTransition"/>s fed with each block's Stage-II features, and the
/// multi-scale feature strategy: each block's feature [X₀, Stage-II] (optionally compressed to half its channels by
/// BN → ReLU → 1×1 conv → dropout) goes through BN → ReLU → global average pooling; the pooled vectors of all blocks
/// are concatenated and classified by one linear layer. See docs/cliquenet.md for the data flow.
/// </summary>
public sealed class CliqueNet : Module, IOnnxExportable
{
    private readonly Conv2d _stem;
    private readonly List<CliqueBlock> _blocks = new();
    private readonly List<CliqueTransition> _transitions = new();
    private readonly List<NamedSequential?> _compress = new();
    private readonly List<NamedSequential> _pools = new();
    private readonly Linear _classifier;

    /// <param name="layersPerBlock">Layers of each block (the authors split T evenly: T/3 per block).</param>
    /// <param name="growth">k, channels per layer.</param>
    /// <param name="attention">Attentional transitions ("A" in the paper's CliqueNet-A/B/C variants).</param>
    /// <param name="bottleneck">1×1 inter-layer convolutions followed by a per-layer 3×3 one ("B").</param>
    /// <param name="compression">Halve each block feature before pooling it for the classifier ("C").</param>
    /// <param name="dropRate">Dropout after every convolution; the paper's CIFAR runs (no augmentation) use 0.2.</param>
    /// <param name="stemChannels">Channels of the first convolution (64 in the authors' code).</param>
    public CliqueNet(int[] layersPerBlock, int growth, int numClasses = 10, int inChannels = 3, bool attention = false,
                     bool bottleneck = false, bool compression = false, float dropRate = 0.2f, int stemChannels = 64,
                     Generator? generator = null)
    {
        if (layersPerBlock.Length == 0 || layersPerBlock.Any(n => n < 2))
            throw new ArgumentException($"CliqueNet: every block needs at least two layers, got [{string.Join(", ", layersPerBlock)}].");
        if (growth <= 0 || numClasses <= 0 || inChannels <= 0 || stemChannels <= 0)
            throw new ArgumentException($"CliqueNet: growth {growth}, numClasses {numClasses}, inChannels {inChannels} and stemChannels {stemChannels} must be positive.");
        _stem = RegisterModule("conv0", new Conv2d(inChannels, stemChannels, 3, padding: 1, bias: false, generator: generator));
        var blocks = RegisterModule("blocks", new ModuleList());
        var transitions = RegisterModule("transitions", new ModuleList());
        var compressors = compression ? RegisterModule("compress", new ModuleList()) : null;
        var pools = RegisterModule("pools", new ModuleList());

        int channels = stemChannels, featureLength = 0;
        for (int b = 0; b < layersPerBlock.Length; b++)
        {
            var block = new CliqueBlock(channels, layersPerBlock[b], growth, bottleneck, dropRate, generator);
            blocks.Add(block);
            _blocks.Add(block);

            int blockFeature = channels + block.OutChannels;
            NamedSequential? compress = null;
            if (compression)
            {
                compress = new NamedSequential().AddBnReluConv("", blockFeature, blockFeature / 2, 1, dropRate, generator);
                compressors!.Add(compress);
                blockFeature /= 2;
            }
            _compress.Add(compress);
            var pool = new NamedSequential().Add("norm", new BatchNorm2d(blockFeature)).Add("relu", new ReLU())
                                            .Add("pool", new AdaptiveAvgPool2d(1)).Add("flatten", new Flatten());
            pools.Add(pool);
            _pools.Add(pool);
            featureLength += blockFeature;

            if (b == layersPerBlock.Length - 1) break;
            var transition = new CliqueTransition(block.OutChannels, attention, dropRate, generator);
            transitions.Add(transition);
            _transitions.Add(transition);
            channels = block.OutChannels;
        }
        _classifier = RegisterModule("classifier", new Linear(featureLength, numClasses, generator: generator));
        FeatureLength = featureLength;
    }

    /// <summary>Length of the multi-scale feature vector entering the classifier.</summary>
    public int FeatureLength { get; }

    public override Tensor Forward(Tensor input)
    {
        var x = _stem.Call(input);
        var pooled = new List<Tensor>();
        for (int b = 0; b < _blocks.Count; b++)
        {
            var stage2 = _blocks[b].Call(x);
            var blockFeature = Tensor.Cat([x, stage2], 1);
            if (_compress[b] is { } compress) blockFeature = compress.Call(blockFeature);
            pooled.Add(_pools[b].Call(blockFeature));
            if (b < _transitions.Count) x = _transitions[b].Call(stage2);
        }
        return _classifier.Call(pooled.Count == 1 ? pooled[0] : Tensor.Cat(pooled, 1));
    }

    public string ExportOnnx(OnnxGraphBuilder g, string input)
    {
        var x = g.Emit(_stem, input);
        var pooled = new List<string>();
        for (int b = 0; b < _blocks.Count; b++)
        {
            var stage2 = g.Emit(_blocks[b], x);
            var blockFeature = g.Concat([x, stage2]);
            if (_compress[b] is { } compress) blockFeature = g.Emit(compress, blockFeature);
            pooled.Add(g.Emit(_pools[b], blockFeature));
            if (b < _transitions.Count) x = g.Emit(_transitions[b], stage2);
        }
        return g.Emit(_classifier, g.Concat(pooled));
    }

    /// <summary>
    /// Each block's Stage-I and Stage-II features for <paramref name="input"/> (the path of <see cref="Forward"/> up to
    /// the last block), for looking at what the alternate re-update changes: see <see cref="CliqueBlock.ForwardStages"/>.
    /// </summary>
    public IReadOnlyList<(Tensor StageI, Tensor StageII)> BlockStages(Tensor input)
    {
        var x = _stem.Call(input);
        var stages = new List<(Tensor StageI, Tensor StageII)>();
        for (int b = 0; b < _blocks.Count; b++)
        {
            var (stageI, stageII) = _blocks[b].ForwardStages(x);
            stages.Add((stageI, stageII));
            if (b < _transitions.Count) x = _transitions[b].Call(stageII);
        }
        return stages;
    }

    /// <summary>
    /// A CIFAR CliqueNet with T layers in all (T/3 per block, as the authors' <c>layer_num=T/3</c>) and k channels per
    /// layer. The paper's Table 3 models (no A/B/C options, dropout 0.2): T = 12, k = 36 → 935,994 parameters for
    /// 10 classes (reported 0.94 M); T = 15, k = 64 → 4,485,706 (4.49 M); T = 15, k = 80 → 6,937,546 (6.94 M);
    /// T = 18, k = 80 → 10,135,594 (10.14 M).
    /// </summary>
    public static CliqueNet Cifar(int t = 12, int k = 36, int numClasses = 10, int inChannels = 3, bool attention = false,
                                  bool bottleneck = false, bool compression = false, float dropRate = 0.2f, Generator? generator = null,
                                  int stemChannels = 64)
    {
        if (t < 6 || t % 3 != 0)
            throw new ArgumentException($"CliqueNet.Cifar: T must be a multiple of 3, at least 6 (T/3 ≥ 2 layers per block), got {t}.");
        return new CliqueNet([t / 3, t / 3, t / 3], k, numClasses, inChannels, attention, bottleneck, compression, dropRate,
                             stemChannels, generator);
    }

    /// <summary>Table 3: T = 12, k = 36 (0.94 M parameters on CIFAR-10).</summary>
    public static CliqueNet T12K36(int numClasses = 10, int inChannels = 3, Generator? generator = null) =>
        Cifar(12, 36, numClasses, inChannels, generator: generator);

    /// <summary>Table 3: T = 15, k = 64 (4.49 M).</summary>
    public static CliqueNet T15K64(int numClasses = 10, int inChannels = 3, Generator? generator = null) =>
        Cifar(15, 64, numClasses, inChannels, generator: generator);

    /// <summary>Table 3: T = 15, k = 80 (6.94 M).</summary>
    public static CliqueNet T15K80(int numClasses = 10, int inChannels = 3, Generator? generator = null) =>
        Cifar(15, 80, numClasses, inChannels, generator: generator);

    /// <summary>Table 3: T = 18, k = 80 (10.14 M).</summary>
    public static CliqueNet T18K80(int numClasses = 10, int inChannels = 3, Generator? generator = null) =>
        Cifar(18, 80, numClasses, inChannels, generator: generator);
}
