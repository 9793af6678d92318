using System.Globalization;
using System.Text.Json;
using Tensorlet.Data;
using Tensorlet.IO;

namespace Tensorlet.Cli.Training;

/// <summary>
/// What a checkpoint says about the data it was trained on, beyond the input shape: the dataset kind, the class names
/// and the normalisation. <c>eval</c> and <c>predict</c> read it back so a picture or a test set is seen exactly as the
/// training data was. Checkpoints from before it was recorded have none: no normalisation, classes named by index.
/// </summary>
internal sealed record DataRecord(string Dataset, IReadOnlyList<string> ClassNames, float[]? Mean, float[]? Std)
{
    /// <summary>Whether the class names came from the checkpoint (rather than being numbered for an old one).</summary>
    public bool NamesRecorded { get; init; } = true;

    private const string DatasetKey = "data_kind", ClassNamesKey = "class_names", MeanKey = "norm_mean", StdKey = "norm_std";

    public void Write(TrainingState state)
    {
        state.Metadata[DatasetKey] = Dataset;
        state.Metadata[ClassNamesKey] = JsonSerializer.Serialize(ClassNames);
        if (Mean is not null) state.Metadata[MeanKey] = Join(Mean);
        if (Std is not null) state.Metadata[StdKey] = Join(Std);
    }

    /// <summary>The record in <paramref name="metadata"/> of the checkpoint at <paramref name="path"/>, for a model of <paramref name="classes"/> classes and <paramref name="channels"/> channels.</summary>
    public static DataRecord Read(IReadOnlyDictionary<string, string> metadata, string path, int classes, int channels)
    {
        string dataset = metadata.GetValueOrDefault(DatasetKey, "fashion-mnist");
        IReadOnlyList<string> names = Enumerable.Range(0, classes).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();
        bool recorded = metadata.TryGetValue(ClassNamesKey, out var json);
        if (recorded && json is not null)
        {
            string[]? parsed = null;
            try { parsed = JsonSerializer.Deserialize<string[]>(json); }
            catch (JsonException) { }
            if (parsed is null || parsed.Length != classes || parsed.Any(n => n is null))
                throw new InvalidDataException($"{path}: metadata entry 'user.{ClassNamesKey}' should list {classes} class names as a JSON array; it holds '{json}'.");
            names = parsed;
        }
        float[]? mean = Floats(metadata, MeanKey, path, channels), std = Floats(metadata, StdKey, path, channels);
        if ((mean is null) != (std is null) || (std is not null && std.Any(s => !(s > 0))))
            throw new InvalidDataException($"{path}: the normalisation entries 'user.{MeanKey}' and 'user.{StdKey}' are incomplete or hold a std that is not above 0.");
        return new DataRecord(dataset, names, mean, std) { NamesRecorded = recorded };
    }

    /// <summary>
    /// The record of the checkpoint at <paramref name="path"/> with its model's input shape [C, H, W]; throws naming the
    /// entry when the metadata is damaged.
    /// </summary>
    public static (DataRecord Record, int[] Input) FromCheckpoint(string path)
    {
        var d = RunSetup.ReadDescription(path);
        return (Read(d.Metadata, path, d.Classes, d.Input[0]), d.Input);
    }

    /// <summary>Refuses test data that the checkpoint's model cannot be judged on: another shape or other classes.</summary>
    public void CheckMatches(ImageDataset test, int[] input, string path)
    {
        if (test.Channels != input[0] || test.Height != input[1] || test.Width != input[2])
            throw new ArgumentException(
                $"{test.Name} has {test.Channels}×{test.Height}×{test.Width} images; the model in {path} takes {string.Join('×', input)}.");
        if (test.ClassCount != ClassNames.Count || (NamesRecorded && !test.ClassNames.SequenceEqual(ClassNames)))
            throw new ArgumentException(
                $"{test.Name} has the classes {string.Join(", ", test.ClassNames)}; the model in {path} was trained on {string.Join(", ", ClassNames)}.");
    }

    private static float[]? Floats(IReadOnlyDictionary<string, string> metadata, string key, string path, int channels)
    {
        if (!metadata.TryGetValue(key, out var text)) return null;
        var parts = text.Split(',');
        var values = new float[parts.Length];
        if (parts.Length != channels || parts.Select((p, i) => float.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) && float.IsFinite(values[i])).Any(ok => !ok))
            throw new InvalidDataException($"{path}: metadata entry 'user.{key}' should hold {channels} comma-separated numbers; it holds '{text}'.");
        return values;
    }

    private static string Join(float[] values) => string.Join(',', values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
}
