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
        new(new ResNetSpec(BlockKind.Bottleneck, [3, 3, 3], [64, 128, 256], ImageNetStem: false, StemWidth: 64, Shortcut.B,
                new BlockOptions(cardinality, baseWidth, seReduction)),
            numClasses, inChannels, generator);

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
