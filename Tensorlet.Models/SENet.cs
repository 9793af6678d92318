using Tensorlet.NN;

namespace Tensorlet.Models;

/// <summary>
/// Squeeze-and-excitation networks (Hu et al., 2018): ResNet / ResNeXt with a <see cref="SqueezeExcitation"/> gate on
/// each block's residual branch, just before the addition (the "SE-ResNet module" of Fig. 3). Built by setting
/// <see cref="BlockOptions.SeReduction"/> on the ordinary <see cref="ResNet"/> blocks; the gate appears as
/// <c>layerX.Y.se.fc1</c>/<c>fc2</c> (1×1 convolutions with biases, as in the authors' Caffe models).
/// </summary>
public static class SENet
{
    /// <summary>
    /// CIFAR SE-ResNet of depth 6n + 2. With r = 16 the 16-channel stage squeezes to a single unit (16 / 16): we keep
    /// r = 16 everywhere, as the common PyTorch reference (senet.pytorch's CIFAR SE-ResNet) does, instead of
    /// lowering r for narrow stages. Option A shortcuts by default, like <see cref="ResNet.Cifar"/>; that reference
    /// uses projections (pass <see cref="Shortcut.B"/> for those).
    /// </summary>
    public static ResNet Cifar(int depth, int numClasses = 10, int inChannels = 3, Shortcut shortcut = Shortcut.A,
                               int reduction = 16, Generator? generator = null) =>
        ResNet.Cifar(depth, numClasses, inChannels, shortcut, generator, new BlockOptions(SeReduction: reduction));

    /// <summary>CIFAR SE-ResNet-20.</summary>
    public static ResNet Cifar20(int numClasses = 10, int inChannels = 3, Shortcut shortcut = Shortcut.A, int reduction = 16,
                                 Generator? generator = null) => Cifar(20, numClasses, inChannels, shortcut, reduction, generator);

    /// <summary>CIFAR SE-ResNet-56.</summary>
    public static ResNet Cifar56(int numClasses = 10, int inChannels = 3, Shortcut shortcut = Shortcut.A, int reduction = 16,
                                 Generator? generator = null) => Cifar(56, numClasses, inChannels, shortcut, reduction, generator);

    /// <summary>CIFAR SE-ResNet-110.</summary>
    public static ResNet Cifar110(int numClasses = 10, int inChannels = 3, Shortcut shortcut = Shortcut.A, int reduction = 16,
                                  Generator? generator = null) => Cifar(110, numClasses, inChannels, shortcut, reduction, generator);

    /// <summary>SE-ResNet-50 (ImageNet, torchvision layout + SE; 28.1 M with r = 16).</summary>
    public static ResNet SEResNet50(int numClasses = 1000, int inChannels = 3, int reduction = 16, Generator? generator = null) =>
        ResNet.ImageNet(BlockKind.Bottleneck, [3, 4, 6, 3], numClasses, inChannels, generator, new BlockOptions(SeReduction: reduction));

    /// <summary>SE-ResNeXt-50 32×4d (ImageNet; 27.6 M with r = 16).</summary>
    public static ResNet SEResNeXt50_32x4d(int numClasses = 1000, int inChannels = 3, int reduction = 16, Generator? generator = null) =>
        ResNeXt.ImageNet([3, 4, 6, 3], 32, 4, numClasses, inChannels, generator, reduction);
}
