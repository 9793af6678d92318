namespace Tensorlet.Data;

/// <summary>
/// A labelled image dataset held as plain arrays: <see cref="Images"/> is N × C × H × W float32
/// (NCHW, row-major) scaled to [0, 1]; <see cref="Labels"/> holds one class index per image.
/// Readers produce it; data loaders and the CLI consume it.
/// </summary>
public sealed class ImageDataset
{
    private static readonly float[] UnitScale = BuildUnitScale();

    public ImageDataset(string name, float[] images, int[] labels, int channels, int height, int width,
        IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classNames);
        if (channels <= 0 || height <= 0 || width <= 0)
        {
            throw new ArgumentException($"Image shape must be positive, got {channels} × {height} × {width}.");
        }
        if (images.LongLength != (long)labels.Length * channels * height * width)
        {
            throw new ArgumentException(
                $"{name}: {images.Length} image values do not match {labels.Length} labels × {channels} × {height} × {width}.");
        }
        int bad = Array.FindIndex(labels, l => l < 0 || l >= classNames.Count);
        if (bad >= 0)
        {
            throw new ArgumentException($"{name}: label {bad} is {labels[bad]}, expected 0..{classNames.Count - 1}.");
        }
        Name = name;
        Images = images;
        Labels = labels;
        Channels = channels;
        Height = height;
        Width = width;
        ClassNames = classNames;
    }

    /// <summary>What was loaded and from where, for display.</summary>
    public string Name { get; }

    /// <summary>N × C × H × W values in [0, 1].</summary>
    public float[] Images { get; }

    public int[] Labels { get; }

    public int Count => Labels.Length;

    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

    /// <summary>Values per image: C × H × W.</summary>
    public int ImageSize => Channels * Height * Width;

    public IReadOnlyList<string> ClassNames { get; }

    public int ClassCount => ClassNames.Count;

    /// <summary>The C × H × W values of image <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Image(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return Images.AsSpan(index * ImageSize, ImageSize);
    }

    /// <summary>How many images each class has, indexed by class.</summary>
    public int[] CountPerClass()
    {
        var counts = new int[ClassCount];
        foreach (int label in Labels)
        {
            counts[label]++;
        }
        return counts;
    }

    public override string ToString() =>
        $"{Name}: {Count} images of {Channels}×{Height}×{Width}, {ClassCount} classes";

    /// <summary>Maps bytes 0..255 to value/255 exactly (a table avoids x * (1/255f) rounding differently).</summary>
    internal static void ScaleToUnit(ReadOnlySpan<byte> source, Span<float> destination)
    {
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = UnitScale[source[i]];
        }
    }

    private static float[] BuildUnitScale()
    {
        var table = new float[256];
        for (int i = 0; i < table.Length; i++)
        {
            table[i] = i / 255f;
        }
        return table;
    }
}
