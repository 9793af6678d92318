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
    private static readonly List<ModelEntry> Entries =
    [
        new("mlp", "MLP", [1, 28, 28], (c, k, g) => new Mlp(c * 28 * 28, [256], k, g)),
        new("cnn", "SmallCnn", [1, 28, 28], (c, k, g) => new SmallCnn(c, k, 32, g)),
    ];

    /// <summary>All configurations, in the order they are listed.</summary>
    public static IReadOnlyList<ModelEntry> All => Entries;

    /// <summary>The configuration called <paramref name="name"/> (case-insensitive); the error lists the known names.</summary>
    public static ModelEntry Get(string name) =>
        Entries.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown model '{name}'. Known models: {string.Join(", ", Entries.Select(e => e.Name))}.");
}
