using Tensorlet.NN;

namespace Tensorlet.Models;

/// <summary>
/// ResNeXt (Xie et al., 2017): ResNet bottlenecks whose 3×3 convolution is split into C groups of width d
/// ("aggregated transformations", form (c) of Fig. 3, which the paper shows equivalent to the C-path form).
/// Every model is a <see cref="ResNet"/> whose <see cref="Bottleneck"/> gets <see cref="BlockOptions.Groups"/> = C and
/// <see cref="BlockOptions.WidthPerGroup"/> = d; nothing is re-implemented here.
/// </summary>
public static class ResNeXt
{
    /// <summary>
    /// CIFAR ResNeXt-29 (§5.3 and the authors' code): conv 3×3 to 64, three stages of three bottlenecks with outputs
    /// 256/512/1024 (planes 64/128/256) at strides 1/2/2, global pooling, linear classifier. The grouped 3×3 has
    /// C·d·2^stage channels (C·d at the first stage: 512 for 8×64d), projection shortcuts (1×1 conv + BN) where the
    /// shape changes. Depth 29 = 3 stages × 3 blocks × 3 layers + stem + classifier.
    /// </summary>
    public static ResNet Cifar29(int cardinality, int baseWidth, int numClasses = 10, int inChannels = 3, Generator? generator = null,
                                 int seReduction = 0) =>
        Cifar(29, cardinality, baseWidth, numClasses, inChannels, generator: generator, seReduction: seReduction);

    /// <summary>
    /// The CIFAR ResNeXt layout at any depth 9n + 2 (n blocks per stage; 29 is the paper's) and stem width s: stem
    /// conv 3×3 to s, stages of planes s/2s/4s (outputs 4s/8s/16s), and a grouped 3×3 of C groups of d channels at the
    /// first stage, doubling at each later stage, as in the paper. s = 64 is the paper's network; a smaller s keeps the
    /// C×d bottleneck rule and narrows the 1×1 convolutions around it (ResNeXt-11, 4×8d, s = 16 trains in seconds).
    /// </summary>
    public static ResNet Cifar(int depth, int cardinality, int baseWidth, int numClasses = 10, int inChannels = 3, int stemWidth = 64,
                               Generator? generator = null, int seReduction = 0)
    {
        if (depth < 11 || (depth - 2) % 9 != 0)
            throw new ArgumentException($"ResNeXt.Cifar: depth must be 9n + 2 with n ≥ 1 (11, 20, 29, ...), got {depth}.");
        if (stemWidth <= 0 || baseWidth * 64 % stemWidth != 0)
            throw new ArgumentException($"ResNeXt.Cifar: stem width {stemWidth} must be positive and divide 64·d = {baseWidth * 64}.");
        int n = (depth - 2) / 9;
        // The bottleneck's inner width is ⌊planes · w / 64⌋ · C (torchvision's rule); w = 64·d / s makes it C·d at planes = s.
        return new(new ResNetSpec(BlockKind.Bottleneck, [n, n, n], [stemWidth, 2 * stemWidth, 4 * stemWidth], ImageNetStem: false,
                                  StemWidth: stemWidth, Shortcut.B, new BlockOptions(cardinality, baseWidth * 64 / stemWidth, seReduction)),
                   numClasses, inChannels, generator);
    }

    /// <summary>CIFAR ResNeXt-29, 8×64d (paper Table 7: 34.4 M).</summary>
    public static ResNet Cifar29_8x64d(int numClasses = 10, int inChannels = 3, Generator? generator = null) =>
        Cifar29(8, 64, numClasses, inChannels, generator);

    /// <summary>CIFAR ResNeXt-29, 16×64d (paper Table 7: 68.1 M).</summary>
    public static ResNet Cifar29_16x64d(int numClasses = 10, int inChannels = 3, Generator? generator = null) =>
        Cifar29(16, 64, numClasses, inChannels, generator);

    /// <summary>ImageNet ResNeXt with the torchvision layout, any depth's layers, cardinality and width.</summary>
    public static ResNet ImageNet(int[] layers, int cardinality, int widthPerGroup, int numClasses = 1000, int inChannels = 3,
                                  Generator? generator = null, int seReduction = 0) =>
        ResNet.ImageNet(BlockKind.Bottleneck, layers, numClasses, inChannels, generator,
                        new BlockOptions(cardinality, widthPerGroup, seReduction));

    /// <summary>ResNeXt-50 32×4d (torchvision <c>resnext50_32x4d</c>, 25.0 M).</summary>
    public static ResNet ResNeXt50_32x4d(int numClasses = 1000, int inChannels = 3, Generator? generator = null) =>
        ImageNet([3, 4, 6, 3], 32, 4, numClasses, inChannels, generator);

    /// <summary>ResNeXt-101 32×8d (torchvision <c>resnext101_32x8d</c>, 88.8 M).</summary>
    public static ResNet ResNeXt101_32x8d(int numClasses = 1000, int inChannels = 3, Generator? generator = null) =>
        ImageNet([3, 4, 23, 3], 32, 8, numClasses, inChannels, generator);
}
