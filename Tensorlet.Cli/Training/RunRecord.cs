using System.Globalization;
using Tensorlet.IO;

namespace Tensorlet.Cli.Training;

/// <summary>
/// The options a run was started with, kept in its checkpoint's metadata ("user.lr", ...) so that <c>--resume</c>
/// continues the same run: an option left out takes the checkpoint's value, an option given with a different value is
/// refused (naming the option and both values), since it would be silently ignored or would break bit-exact resumption.
/// Only <c>--epochs</c> may change, to extend a run without a schedule (a schedule is laid out over the epoch count).
/// </summary>
internal static class RunRecord
{
    private sealed record Entry(string Option, string Key, Func<TrainOptions, string> Read, Func<TrainOptions, string, TrainOptions?> Apply);

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static readonly Entry[] Entries =
    [
        new("--model", "model", o => o.Model, (o, v) => o with { Model = v }),
        new("--optimizer", "optimizer", o => o.Optimizer.ToLowerInvariant(), (o, v) => o with { Optimizer = v }),
        new("--lr", "lr", o => Text(o.LearningRate), (o, v) => Float(v) is { } f ? o with { LearningRate = f } : null),
        new("--momentum", "momentum", o => Text(o.Momentum), (o, v) => Float(v) is { } f ? o with { Momentum = f } : null),
        new("--weight-decay", "weight_decay", o => Text(o.WeightDecay), (o, v) => Float(v) is { } f ? o with { WeightDecay = f } : null),
        new("--schedule", "schedule", o => Schedule(o.Schedule), (o, v) => o with { Schedule = v }),
        new("--batch", "batch", o => o.BatchSize.ToString(Inv),
            (o, v) => int.TryParse(v, NumberStyles.None, Inv, out int b) && b > 0 ? o with { BatchSize = b } : null),
        new("--seed", "seed", o => o.Seed.ToString(Inv),
            (o, v) => ulong.TryParse(v, NumberStyles.None, Inv, out ulong s) ? o with { Seed = s } : null),
        new("--dataset", "dataset", o => o.DataSettings.Dataset.ToLowerInvariant(), (o, v) => o with { DataSettings = o.DataSettings with { Dataset = v } }),
        new("--augment", "augment", o => o.DataSettings.Augment.ToLowerInvariant(), (o, v) => o with { DataSettings = o.DataSettings with { Augment = v } }),
        new("--normalize", "normalize", o => o.DataSettings.Normalize?.ToLowerInvariant() ?? "", (o, v) => o with { DataSettings = o.DataSettings with { Normalize = Optional(v) } }),
        new("--mean", "mean", o => o.DataSettings.Mean ?? "", (o, v) => o with { DataSettings = o.DataSettings with { Mean = Optional(v) } }),
        new("--std", "std", o => o.DataSettings.Std ?? "", (o, v) => o with { DataSettings = o.DataSettings with { Std = Optional(v) } }),
        new("--image-size", "image_size", o => o.DataSettings.ImageSize ?? "", (o, v) => o with { DataSettings = o.DataSettings with { ImageSize = Optional(v) } }),
        new("--epochs", "epochs", o => o.Epochs.ToString(Inv),
            (o, v) => int.TryParse(v, NumberStyles.None, Inv, out int e) && e > 0 ? o with { Epochs = e } : null),
    ];

    /// <summary>Stores the run's options in <paramref name="state"/>'s metadata.</summary>
    public static void Write(TrainingState state, TrainOptions options)
    {
        foreach (var e in Entries) state.Metadata[e.Key] = e.Read(options);
    }

    /// <summary>
    /// The options to resume with: <paramref name="options"/> with every option not given on the command line taken from
    /// the checkpoint at <paramref name="path"/>. Throws an <see cref="ArgumentException"/> listing every conflict.
    /// Checkpoints from before options were recorded have no entries; then the command line is used as it is.
    /// </summary>
    public static TrainOptions Reconcile(TrainOptions options, TrainingState saved, string path)
    {
        var result = options;
        var conflicts = new List<string>();
        foreach (var e in Entries)
        {
            if (!saved.Metadata.TryGetValue(e.Key, out var recorded)) continue;
            string mine = e.Read(options);
            if (mine == recorded) continue;
            if (!options.Given.Contains(e.Option))
            {
                result = e.Apply(result, recorded)
                    ?? throw new InvalidDataException($"{path}: metadata entry 'user.{e.Key}' holds '{recorded}', which is not a valid {e.Option}.");
            }
            else if (e.Key != "epochs" || Schedule(result.Schedule) != "none")
                conflicts.Add($"{e.Option} {mine} (the checkpoint's run used {recorded})");
        }
        if (conflicts.Count > 0)
            throw new ArgumentException(
                $"--resume {path}: a resumed run continues with the options it was started with; leave these out or give " +
                $"the checkpoint's values: {string.Join("; ", conflicts)}" +
                (conflicts.Any(c => c.StartsWith("--epochs", StringComparison.Ordinal)) ? " (--epochs can change only with --schedule none)" : "") + ".");
        return result;
    }

    private static string Schedule(string name) => name.ToLowerInvariant() is "constant" ? "none" : name.ToLowerInvariant();

    // Options with no default are recorded as "" when left out.
    private static string? Optional(string recorded) => recorded.Length == 0 ? null : recorded;

    private static string Text(float v) => v.ToString("R", Inv);

    private static float? Float(string text) =>
        float.TryParse(text, NumberStyles.Float, Inv, out float v) ? v : null;
}
