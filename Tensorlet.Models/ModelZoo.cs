using Tensorlet.NN;

namespace Tensorlet.Models;

/// <summary>One named configuration: how to build it and the input it was designed for.</summary>
/// <param name="Name">The name used on the command line (<c>tensorlet train --model NAME</c>).</param>
/// <param name="Family">The architecture it belongs to ("ResNet", "DenseNet", ...).</param>
/// <param name="NativeInput">[C, H, W] of the input the configuration was designed for.</param>
/// <param name="Create">Builds it for (input channels, number of classes, generator).</param>
public sealed record ModelEntry(string Name, string Family, int[] NativeInput, Func<int, int, Generator, Module> Create)
{
    /// <summary>Classes the configuration has at its native size (10 for CIFAR-10 and Fashion-MNIST layouts, 1000 for ImageNet).</summary>
    public int NativeClasses => NativeInput[1] >= 224 ? 1000 : 10;
}

/// <summary>
/// Every named model configuration Tensorlet ships, in one table: what <c>tensorlet train --model</c> accepts and what
/// <c>tensorlet models</c> lists with its parameters and FLOPs.
/// </summary>
public static class ModelZoo
{
    private static readonly int[] Mnist = [1, 28, 28], Cifar = [3, 32, 32], ImageNet = [3, 224, 224];

    // Each family also has one small configuration (vgg11-cifar-w16, nin-cifar10-w48-nodrop, resnet8,
    // resnext11-4x8d-w16, densenet-bc16-k12, se-resnet8, crelu-half-w24-nodrop, cliquenet-t6-k16-w32-nodrop): built by the
    // family's own factory with its paper's rules, only narrower or shallower, for runs of seconds. The tests train each
    // on the embedded Fashion-MNIST sample (Tensorlet.Tests/Cli/ArchitectureTrainingTests.cs; docs/models.md).
    private static readonly List<ModelEntry> Entries =
    [
        new("mlp", "MLP", Mnist, (c, k, g) => new Mlp(c * 28 * 28, [256], k, g)),
        new("cnn", "SmallCnn", Mnist, (c, k, g) => new SmallCnn(c, k, 32, g)),

        new("vgg11-cifar", "VGG", Cifar, (c, k, g) => Vgg.Vgg11Cifar(true, k, c, g)),
        new("vgg13-cifar", "VGG", Cifar, (c, k, g) => Vgg.Vgg13Cifar(true, k, c, g)),
        new("vgg16-cifar", "VGG", Cifar, (c, k, g) => Vgg.Vgg16Cifar(true, k, c, g)),
        new("vgg19-cifar", "VGG", Cifar, (c, k, g) => Vgg.Vgg19Cifar(true, k, c, g)),
        new("vgg11-cifar-w16", "VGG", Cifar, (c, k, g) => Vgg.Vgg11CifarNarrow(4, k, c, g)),
        new("vgg11", "VGG", ImageNet, (c, k, g) => Vgg.Vgg11(false, k, c, g)),
        new("vgg11-bn", "VGG", ImageNet, (c, k, g) => Vgg.Vgg11(true, k, c, g)),
        new("vgg13", "VGG", ImageNet, (c, k, g) => Vgg.Vgg13(false, k, c, g)),
        new("vgg13-bn", "VGG", ImageNet, (c, k, g) => Vgg.Vgg13(true, k, c, g)),
        new("vgg16", "VGG", ImageNet, (c, k, g) => Vgg.Vgg16(false, k, c, g)),
        new("vgg16-bn", "VGG", ImageNet, (c, k, g) => Vgg.Vgg16(true, k, c, g)),
        new("vgg19", "VGG", ImageNet, (c, k, g) => Vgg.Vgg19(false, k, c, g)),
        new("vgg19-bn", "VGG", ImageNet, (c, k, g) => Vgg.Vgg19(true, k, c, g)),

        new("nin-cifar10", "Network in Network", Cifar, (c, k, g) => NetworkInNetwork.Cifar10(k, c, g)),
        new("nin-cifar10-w48-nodrop", "Network in Network", Cifar, (c, k, g) => NetworkInNetwork.Cifar10Narrow(4, k, c, g, 0f)),

        new("resnet8", "ResNet", Cifar, (c, k, g) => ResNet.Cifar(8, k, c, Shortcut.A, g)),
        new("resnet20", "ResNet", Cifar, (c, k, g) => ResNet.Cifar20(k, c, Shortcut.A, g)),
        new("resnet32", "ResNet", Cifar, (c, k, g) => ResNet.Cifar32(k, c, Shortcut.A, g)),
        new("resnet44", "ResNet", Cifar, (c, k, g) => ResNet.Cifar44(k, c, Shortcut.A, g)),
        new("resnet56", "ResNet", Cifar, (c, k, g) => ResNet.Cifar56(k, c, Shortcut.A, g)),
        new("resnet110", "ResNet", Cifar, (c, k, g) => ResNet.Cifar110(k, c, Shortcut.A, g)),
        new("resnet20-b", "ResNet", Cifar, (c, k, g) => ResNet.Cifar20(k, c, Shortcut.B, g)),
        new("resnet56-b", "ResNet", Cifar, (c, k, g) => ResNet.Cifar56(k, c, Shortcut.B, g)),
        new("resnet110-b", "ResNet", Cifar, (c, k, g) => ResNet.Cifar110(k, c, Shortcut.B, g)),
        new("resnet18", "ResNet", ImageNet, (c, k, g) => ResNet.ResNet18(k, c, g)),
        new("resnet34", "ResNet", ImageNet, (c, k, g) => ResNet.ResNet34(k, c, g)),
        new("resnet50", "ResNet", ImageNet, (c, k, g) => ResNet.ResNet50(k, c, g)),
        new("resnet101", "ResNet", ImageNet, (c, k, g) => ResNet.ResNet101(k, c, g)),
        new("resnet152", "ResNet", ImageNet, (c, k, g) => ResNet.ResNet152(k, c, g)),

        new("resnext11-4x8d-w16", "ResNeXt", Cifar, (c, k, g) => ResNeXt.Cifar(11, 4, 8, k, c, stemWidth: 16, generator: g)),
        new("resnext29-8x64d", "ResNeXt", Cifar, (c, k, g) => ResNeXt.Cifar29_8x64d(k, c, g)),
        new("resnext29-16x64d", "ResNeXt", Cifar, (c, k, g) => ResNeXt.Cifar29_16x64d(k, c, g)),
        new("resnext50-32x4d", "ResNeXt", ImageNet, (c, k, g) => ResNeXt.ResNeXt50_32x4d(k, c, g)),
        new("resnext101-32x8d", "ResNeXt", ImageNet, (c, k, g) => ResNeXt.ResNeXt101_32x8d(k, c, g)),

        new("densenet-bc16-k12", "DenseNet", Cifar, (c, k, g) => DenseNet.BC(16, 12, k, c, generator: g)),
        new("densenet40-k12", "DenseNet", Cifar, (c, k, g) => DenseNet.Cifar(40, 12, k, c, generator: g)),
        new("densenet100-k12", "DenseNet", Cifar, (c, k, g) => DenseNet.Cifar(100, 12, k, c, generator: g)),
        new("densenet100-k24", "DenseNet", Cifar, (c, k, g) => DenseNet.Cifar(100, 24, k, c, generator: g)),
        new("densenet-bc100-k12", "DenseNet", Cifar, (c, k, g) => DenseNet.BC(100, 12, k, c, generator: g)),
        new("densenet-bc250-k24", "DenseNet", Cifar, (c, k, g) => DenseNet.BC(250, 24, k, c, generator: g)),
        new("densenet-bc190-k40", "DenseNet", Cifar, (c, k, g) => DenseNet.BC(190, 40, k, c, generator: g)),
        new("densenet121", "DenseNet", ImageNet, (c, k, g) => DenseNet.DenseNet121(k, c, g)),
        new("densenet169", "DenseNet", ImageNet, (c, k, g) => DenseNet.DenseNet169(k, c, g)),
        new("densenet201", "DenseNet", ImageNet, (c, k, g) => DenseNet.DenseNet201(k, c, g)),

        new("se-resnet8", "SENet", Cifar, (c, k, g) => SENet.Cifar(8, k, c, generator: g)),
        new("se-resnet20", "SENet", Cifar, (c, k, g) => SENet.Cifar20(k, c, generator: g)),
        new("se-resnet56", "SENet", Cifar, (c, k, g) => SENet.Cifar56(k, c, generator: g)),
        new("se-resnet110", "SENet", Cifar, (c, k, g) => SENet.Cifar110(k, c, generator: g)),
        new("se-resnet50", "SENet", ImageNet, (c, k, g) => SENet.SEResNet50(k, c, generator: g)),
        new("se-resnext50-32x4d", "SENet", ImageNet, (c, k, g) => SENet.SEResNeXt50_32x4d(k, c, generator: g)),

        new("crelu-baseline", "CReLU", Cifar, (c, k, g) => CReluNet.Baseline(k, c, generator: g)),
        new("crelu-same", "CReLU", Cifar, (c, k, g) => CReluNet.SameFilters(k, c, generator: g)),
        new("crelu-half", "CReLU", Cifar, (c, k, g) => CReluNet.HalfFilters(k, c, generator: g)),
        new("crelu-half-w24-nodrop", "CReLU", Cifar,
            (c, k, g) => new CReluNet(CReluVariant.HalfFilters, k, c, dropout: 0f, generator: g, widthDivisor: 4)),

        new("cliquenet-t6-k16-w32-nodrop", "CliqueNet", Cifar,
            (c, k, g) => CliqueNet.Cifar(6, 16, k, c, dropRate: 0, generator: g, stemChannels: 32)),
        new("cliquenet-t12-k36", "CliqueNet", Cifar, (c, k, g) => CliqueNet.T12K36(k, c, g)),
        new("cliquenet-t15-k64", "CliqueNet", Cifar, (c, k, g) => CliqueNet.T15K64(k, c, g)),
        new("cliquenet-t15-k80", "CliqueNet", Cifar, (c, k, g) => CliqueNet.T15K80(k, c, g)),
        new("cliquenet-t18-k80", "CliqueNet", Cifar, (c, k, g) => CliqueNet.T18K80(k, c, g)),
    ];

    /// <summary>All configurations, in the order they are listed.</summary>
    public static IReadOnlyList<ModelEntry> All => Entries;

    /// <summary>The configuration called <paramref name="name"/> (case-insensitive); the error lists the known names.</summary>
    public static ModelEntry Get(string name) =>
        Entries.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown model '{name}'. Known models: {string.Join(", ", Entries.Select(e => e.Name))}.");
}
