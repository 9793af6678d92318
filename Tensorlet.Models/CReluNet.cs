using Tensorlet.NN;

namespace Tensorlet.Models;

/// <summary>How a <see cref="CReluNet"/> uses concatenated ReLUs.</summary>
public enum CReluVariant
{
    /// <summary>ReLU everywhere: the paper's baseline.</summary>
    Baseline,

    /// <summary>CReLU in place of ReLU with the baseline's filter counts: each CReLU layer emits twice as many maps, so the next layer has twice the inputs.</summary>
    SameFilters,

    /// <summary>CReLU with half the baseline's filters: after concatenation every layer is as wide as the baseline's.</summary>
    HalfFilters,
}

/// <summary>
/// The CIFAR network of Shang, Sohn, Almeida &amp; Lee, "Understanding and Improving Convolutional Neural Networks via
/// Concatenated Rectified Linear Units" (ICML 2016), and its CReLU variants.
/// <para>
/// The baseline is the all-convolutional design the paper builds on (Springenberg et al.'s ConvPool-CNN-C: max pooling,
/// no fully connected layer). Nine convolutions, each but the last followed by [BatchNorm2d,] ReLU:
/// <list type="table">
/// <item><term>conv1–conv3</term><description>3×3, 96 filters, padding 1 (32×32)</description></item>
/// <item><term>pool1, drop1</term><description>3×3/2 max pool, padding 1 (32 → 16); dropout 0.5</description></item>
/// <item><term>conv4–conv6</term><description>3×3, 192 filters, padding 1 (16×16)</description></item>
/// <item><term>pool2, drop2</term><description>3×3/2 max pool, padding 1 (16 → 8); dropout 0.5</description></item>
/// <item><term>conv7</term><description>3×3, 192 filters, no padding (8 → 6), as in ConvPool-CNN-C</description></item>
/// <item><term>conv8</term><description>1×1, 192 filters</description></item>
/// <item><term>conv9</term><description>1×1, one map per class, no activation</description></item>
/// <item><term>gap</term><description>global average pooling: the class scores</description></item>
/// </list>
/// A 28×28 input runs through 28 → 14 → 7 → 5. With batch norm (the default) the hidden convolutions drop their bias.
/// Baseline parameters for 3 channels and 10 classes: 1,370,986 with batch norm, 1,369,738 without (the paper quotes 1.4 M).
/// </para>
/// <para>
/// CReLU variants replace the ReLU of the first <c>creluLayers</c> hidden convolutions (conv1..conv8; default all of them,
/// which is how we read the paper's CIFAR experiments: halving every layer roughly halves the 1.4 M parameters, to
/// 686,458 here). Sources, as far as they could be checked: the layer list is Springenberg et al.'s ConvPool-CNN-C
/// ("Striving for Simplicity: The All Convolutional Net", ICLR 2015 workshop, Tables 1–2: model C with an extra 3×3
/// convolution before each pool), the model the CReLU paper's CIFAR experiments start from; the paper's CIFAR section and
/// tables (layers, where CReLU goes, batch norm, dropout) could not be read here — the stored copies of arXiv 1603.05201
/// and PMLR v48 hold only the abstract and introduction — so those choices remain a reconstruction (docs/models.md). Its ImageNet
/// experiments place CReLU in conv1–4, conv1,4,7 or all layers (quoted by the Caffe reproduction chakkritte/CReLU);
/// pass <c>creluLayers: 4</c> for conv1–conv4 only. <c>widthDivisor</c> divides every filter count (4 gives the
/// 24-48 network of the quick <c>crelu-half-w24-nodrop</c> configuration).
/// Module names: <c>conv1</c>..<c>conv8</c> (Sequential of Conv2d, [BatchNorm2d], ReLU/CReLU), <c>pool1</c>, <c>drop1</c>,
/// <c>pool2</c>, <c>drop2</c>, <c>conv9</c>, <c>gap</c>.
/// </para>
/// </summary>
public sealed class CReluNet : LayerStack
{
    /// <summary>The hidden convolutions: kernel, baseline filters, padding, and whether a pool (+ dropout) follows.</summary>
    private static readonly (int Kernel, int Filters, int Padding, bool PoolAfter)[] Hidden =
    [
        (3, 96, 1, false), (3, 96, 1, false), (3, 96, 1, true),
        (3, 192, 1, false), (3, 192, 1, false), (3, 192, 1, true),
        (3, 192, 0, false), (1, 192, 0, false),
    ];

    /// <summary>Number of hidden convolutions (conv1..conv8) that may take a CReLU.</summary>
    public const int HiddenLayers = 8;

    /// <summary>Builds <paramref name="variant"/> with CReLU in conv1..conv<paramref name="creluLayers"/> (ignored for the baseline).</summary>
    public CReluNet(CReluVariant variant, int numClasses = 10, int inChannels = 3, int creluLayers = HiddenLayers,
                    bool batchNorm = true, float dropout = 0.5f, Generator? generator = null, int widthDivisor = 1)
    {
        if (numClasses <= 0) throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "CReluNet: numClasses must be positive.");
        if (inChannels <= 0) throw new ArgumentOutOfRangeException(nameof(inChannels), inChannels, "CReluNet: inChannels must be positive.");
        if (creluLayers < 0 || creluLayers > HiddenLayers)
            throw new ArgumentOutOfRangeException(nameof(creluLayers), creluLayers, $"CReluNet: creluLayers must be in [0, {HiddenLayers}].");
        if (widthDivisor <= 0 || 48 % widthDivisor != 0)
            throw new ArgumentOutOfRangeException(nameof(widthDivisor), widthDivisor, "CReluNet: widthDivisor must divide 48 (1, 2, 3, 4, 6, 8, ...).");
        Variant = variant;
        CReluLayers = variant == CReluVariant.Baseline ? 0 : creluLayers;
        int c = inChannels, pools = 0;
        for (int i = 0; i < Hidden.Length; i++)
        {
            var (k, filters, pad, poolAfter) = Hidden[i];
            filters /= widthDivisor;
            bool crelu = i < CReluLayers;
            if (crelu && variant == CReluVariant.HalfFilters) filters /= 2;
            var block = new Sequential(new Conv2d(c, filters, k, padding: pad, bias: !batchNorm, generator: generator));
            if (batchNorm) block.Add(new BatchNorm2d(filters));
            block.Add(crelu ? new CReLU() : new ReLU());
            Add($"conv{i + 1}", block);
            c = crelu ? 2 * filters : filters;   // CReLU concatenates relu(x) and relu(−x) on the channel axis
            if (!poolAfter) continue;
            pools++;
            Add($"pool{pools}", new MaxPool2d(3, 2, padding: 1));
            Add($"drop{pools}", new Dropout(dropout, generator));
        }
        Add("conv9", new Conv2d(c, numClasses, 1, generator: generator));
        Add("gap", new AdaptiveAvgPool2d(1));
    }

    /// <summary>Which variant this is.</summary>
    public CReluVariant Variant { get; }

    /// <summary>How many of conv1..conv8 use CReLU (0 for the baseline).</summary>
    public int CReluLayers { get; }

    /// <summary>The paper's ReLU baseline.</summary>
    public static CReluNet Baseline(int numClasses = 10, int inChannels = 3, bool batchNorm = true, Generator? generator = null) =>
        new(CReluVariant.Baseline, numClasses, inChannels, batchNorm: batchNorm, generator: generator);

    /// <summary>CReLU in conv1..conv<paramref name="creluLayers"/> with the baseline's filter counts (about twice its parameters).</summary>
    public static CReluNet SameFilters(int numClasses = 10, int inChannels = 3, int creluLayers = HiddenLayers, bool batchNorm = true,
                                       Generator? generator = null) =>
        new(CReluVariant.SameFilters, numClasses, inChannels, creluLayers, batchNorm, generator: generator);

    /// <summary>CReLU in conv1..conv<paramref name="creluLayers"/> with half the filters (the baseline's widths after concatenation).</summary>
    public static CReluNet HalfFilters(int numClasses = 10, int inChannels = 3, int creluLayers = HiddenLayers, bool batchNorm = true,
                                       Generator? generator = null) =>
        new(CReluVariant.HalfFilters, numClasses, inChannels, creluLayers, batchNorm, generator: generator);
}
