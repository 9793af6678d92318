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
        state.Metadata["channels"] = data.Channels.ToString();
        state.Metadata["height"] = data.Height.ToString();
        state.Metadata["width"] = data.Width.ToString();
        state.Metadata["classes"] = data.ClassCount.ToString();
    }

    /// <summary>Rebuilds the model a checkpoint was saved from, using the description in its metadata.</summary>
    public static Module ModelFromCheckpoint(string path)
    {
        var meta = SafeTensors.ReadHeader(path).Metadata;
        string Get(string key) => meta.TryGetValue("user." + key, out var v)
            ? v
            : throw new InvalidDataException($"{path}: the checkpoint does not say which model it holds (no '{key}' entry); was it written by tensorlet train?");
        return ModelFactory.Create(Get("model"), int.Parse(Get("channels")), int.Parse(Get("height")), int.Parse(Get("width")),
                                   int.Parse(Get("classes")), new Generator(0));
    }
}
