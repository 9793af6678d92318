using Tensorlet.Models;
using Tensorlet.NN;

namespace Tensorlet.Cli.Training;

/// <summary>The models <c>tensorlet train --model</c> knows, built for a given input shape and class count.</summary>
internal static class ModelFactory
{
    public static IReadOnlyList<string> Names { get; } = ["cnn", "mlp"];

    /// <summary>The model of the README's main job.</summary>
    public const string Default = "cnn";

    public static Module Create(string name, int channels, int height, int width, int classes, Generator generator) =>
        name.ToLowerInvariant() switch
        {
            "cnn" => new SmallCnn(channels, classes, 32, generator),
            "mlp" => new Mlp(channels * height * width, [256], classes, generator),
            _ => throw new ArgumentException($"Unknown model '{name}'. Known models: {string.Join(", ", Names)}."),
        };
}
