using System.Globalization;
using Tensorlet.Data;
using Tensorlet.IO;
using Tensorlet.NN;
using Tensorlet.Optim;

namespace Tensorlet.Cli.Training;

/// <summary>
/// Builds the pieces of a run from options — model, optimizer, schedule — and describes the model in a checkpoint's
/// metadata so <c>tensorlet eval</c> can rebuild it from the file alone.
/// </summary>
internal static class RunSetup
{
    public static Optimizer CreateOptimizer(TrainOptions o, Module model) => o.Optimizer.ToLowerInvariant() switch
    {
        "sgd" => new SGD(model.Parameters(), o.LearningRate, o.Momentum, weightDecay: o.WeightDecay),
        "adam" => new Adam(model.Parameters(), o.LearningRate, weightDecay: o.WeightDecay),
        "adamw" => new AdamW(model.Parameters(), o.LearningRate, weightDecay: o.WeightDecay),
        _ => throw new ArgumentException($"Unknown optimizer '{o.Optimizer}'. Known: sgd, adam, adamw."),
    };

    public static LRSchedule? CreateSchedule(TrainOptions o, Optimizer optimizer) => o.Schedule.ToLowerInvariant() switch
    {
        "none" or "constant" => null,
        "cosine" => new CosineAnnealingLR(optimizer, o.Epochs),
        "step" => new MultiStepLR(optimizer, [Math.Max(1, o.Epochs / 2), Math.Max(1, 3 * o.Epochs / 4)], 0.1f),
        _ => throw new ArgumentException($"Unknown schedule '{o.Schedule}'. Known: none, cosine, step."),
    };

    public static void Describe(TrainingState state, string model, ImageDataset data)
    {
        state.Metadata["model"] = model;
        state.Metadata["channels"] = data.Channels.ToString(CultureInfo.InvariantCulture);
        state.Metadata["height"] = data.Height.ToString(CultureInfo.InvariantCulture);
        state.Metadata["width"] = data.Width.ToString(CultureInfo.InvariantCulture);
        state.Metadata["classes"] = data.ClassCount.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Rebuilds the model a checkpoint was saved from, using the description in its metadata — read only once the file
    /// is verified, so a damaged file is reported as damaged rather than as a bad number.
    /// </summary>
    public static Module ModelFromCheckpoint(string path)
    {
        var d = ReadDescription(path);
        return ModelFactory.Create(d.Model, d.Input[0], d.Input[1], d.Input[2], d.Classes, new Generator(0));
    }

    /// <summary>The model name, input shape [C, H, W] and class count recorded by <see cref="Describe"/>, each checked.</summary>
    public static (string Model, int[] Input, int Classes, IReadOnlyDictionary<string, string> Metadata) ReadDescription(string path)
    {
        var meta = Checkpoint.Inspect(path).Metadata;
        string Get(string key) => meta.TryGetValue(key, out var v)
            ? v
            : throw new InvalidDataException($"{path}: the checkpoint does not say which model it holds (no 'user.{key}' entry); was it written by tensorlet train?");
        int Size(string key, int max) =>
            int.TryParse(Get(key), NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v >= 1 && v <= max
                ? v
                : throw new InvalidDataException($"{path}: metadata entry 'user.{key}' holds '{Get(key)}', expected an integer in [1, {max}].");
        string model = Get("model");
        if (!ModelFactory.Names.Contains(model, StringComparer.OrdinalIgnoreCase))
            throw new InvalidDataException($"{path}: metadata entry 'user.model' names '{model}', which is not a known model ({string.Join(", ", ModelFactory.Names)}).");
        return (model, [Size("channels", MaxChannels), Size("height", MaxSide), Size("width", MaxSide)], Size("classes", MaxClasses), meta);
    }

    // Far above any dataset the CLI reads, low enough that a crafted value cannot ask for an absurd model.
    private const int MaxChannels = 64, MaxSide = 4096, MaxClasses = 100_000;
}
