using Tensorlet.Models;
using Tensorlet.NN;

namespace Tensorlet.Cli.Training;

/// <summary>The models <c>tensorlet train --model</c> knows (the <see cref="ModelZoo"/>), built for a dataset's shape.</summary>
internal static class ModelFactory
{
    public static IReadOnlyList<string> Names => ModelZoo.All.Select(e => e.Name).ToList();

    /// <summary>The model of the README's main job.</summary>
    public const string Default = "cnn";

    public static Module Create(string name, int channels, int height, int width, int classes, Generator generator)
    {
        var entry = ModelZoo.Get(name);
        // Fully connected models are sized for their native input; convolutional ones adapt through global pooling.
        if (entry.Name == "mlp") return new Mlp(channels * height * width, [256], classes, generator);
        return entry.Create(channels, classes, generator);
    }
}
