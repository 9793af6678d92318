using System.Globalization;

namespace Tensorlet.Cli.Training;

/// <summary>
/// The data options of <c>tensorlet train</c> beyond <c>--data</c>: which dataset (<c>--dataset</c>, else detected),
/// augmentation (<c>--augment crop,flip</c>), normalisation (<c>--normalize auto|none</c> or <c>--mean</c>/<c>--std</c>)
/// and the picture size of an image folder (<c>--image-size</c>). Kept as the text typed, so a resumed run can compare it.
/// </summary>
internal sealed record DataSettings(
    string Dataset = "auto",
    string Augment = "none",
    string? Normalize = null,
    string? Mean = null,
    string? Std = null,
    string? ImageSize = null)
{
    /// <summary>The <c>--dataset</c> values, "auto" first (detect from the folder's files).</summary>
    public static IReadOnlyList<string> DatasetNames { get; } = ["auto", "fashion-mnist", "idx", "cifar10", "cifar100", "folder"];

    /// <summary>Zero padding of <c>--augment crop</c>: 4 pixels on each side, as in the CIFAR papers' augmentation.</summary>
    public const int CropPadding = 4;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first option that cannot be used.</summary>
    public void Validate()
    {
        if (!DatasetNames.Contains(Dataset.ToLowerInvariant()))
            throw new ArgumentException($"--dataset {Dataset}: unknown; choose one of {string.Join(", ", DatasetNames)}.");
        _ = AugmentSteps();
        if (Normalize is not null && Normalize.ToLowerInvariant() is not ("auto" or "none"))
            throw new ArgumentException($"--normalize {Normalize}: expected auto (per-channel mean and std of the training set) or none.");
        if ((Mean is null) != (Std is null))
            throw new ArgumentException($"--mean and --std go together: give both (one value per channel) or neither.");
        if (Mean is not null && Normalize?.ToLowerInvariant() == "none")
            throw new ArgumentException("--normalize none contradicts --mean/--std; leave one out.");
        _ = Values("--mean", Mean);
        _ = Values("--std", Std);
        _ = Size();
    }

    /// <summary>The augmentation steps asked for, in the order they run ("crop" before "flip").</summary>
    public IReadOnlyList<string> AugmentSteps()
    {
        var steps = Augment.ToLowerInvariant().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (steps is ["none"]) return [];
        var unknown = steps.Where(s => s is not ("crop" or "flip")).ToList();
        if (unknown.Count > 0 || steps.Length == 0)
            throw new ArgumentException($"--augment {Augment}: expected none, or a comma list of crop (random {CropPadding}-pixel shifts, zero-padded) and flip (random mirror).");
        return [.. new[] { "crop", "flip" }.Where(steps.Contains)];
    }

    /// <summary>The numbers of <c>--mean</c> or <c>--std</c>, or null when not given.</summary>
    public static float[]? Values(string option, string? text)
    {
        if (text is null) return null;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new float[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!float.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !float.IsFinite(values[i]))
                throw new ArgumentException($"{option} {text}: '{parts[i]}' is not a number; give one number per channel, comma-separated (e.g. 0.49,0.48,0.45).");
        if (option == "--std" && values.Any(v => !(v > 0)))
            throw new ArgumentException($"--std {text}: every value must be above 0.");
        return values;
    }

    /// <summary>(height, width) of <c>--image-size</c> ("32" or "48x64"), or null when not given.</summary>
    public (int Height, int Width)? Size()
    {
        if (ImageSize is null) return null;
        var parts = ImageSize.ToLowerInvariant().Split('x');
        int[] sides = new int[parts.Length];
        bool ok = parts.Length is 1 or 2 &&
                  parts.Select((p, i) => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out sides[i]) && sides[i] is >= 1 and <= 4096).All(b => b);
        if (!ok) throw new ArgumentException($"--image-size {ImageSize}: expected a side (32) or HEIGHTxWIDTH (48x64), each 1 to 4096.");
        return (sides[0], sides[^1]);
    }
}
