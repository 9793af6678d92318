using Tensorlet.Data;

namespace Tensorlet.Vision;

/// <summary>
/// What turns an image file into a model's input, like a torchvision <c>Compose</c> of <c>Resize</c>,
/// <c>CenterCrop</c>, <c>ToTensor</c> and <c>Normalize</c>: decode (<see cref="ImageDecoder"/>), convert to the model's
/// channels (<see cref="ColorConversion"/>), resize to cover <see cref="Height"/> × <see cref="Width"/> and cut out the
/// centre (<see cref="ImageResize.ResizeAndCrop"/>), then, when <see cref="Mean"/> and <see cref="Std"/> are set,
/// normalise each channel. Training on an image folder uses the same steps (without the normalisation, which the
/// data loader applies), so a picture is seen at prediction time the way the training images were.
/// </summary>
public sealed class ImagePipeline
{
    private readonly Normalize? _normalize;

    /// <param name="channels">1 (grey) or 3 (RGB): what the model takes.</param>
    /// <param name="height">The model's input height.</param>
    /// <param name="width">The model's input width.</param>
    /// <param name="mean">Per-channel mean subtracted after scaling to [0, 1]; null for none.</param>
    /// <param name="std">Per-channel standard deviation divided by; given with <paramref name="mean"/>.</param>
    public ImagePipeline(int channels, int height, int width, IReadOnlyList<float>? mean = null, IReadOnlyList<float>? std = null)
    {
        if (channels is not (1 or 3))
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "ImagePipeline: channels must be 1 (grey) or 3 (RGB).");
        if (height <= 0 || width <= 0)
            throw new ArgumentException($"ImagePipeline: input size must be positive, got {height} × {width}.");
        if ((mean is null) != (std is null))
            throw new ArgumentException("ImagePipeline: give both mean and std, or neither.");
        if (mean is not null && (mean.Count != channels || std!.Count != channels))
            throw new ArgumentException($"ImagePipeline: mean has {mean.Count} values and std {std!.Count}; the input has {channels} channel(s), one value each.");
        (Channels, Height, Width) = (channels, height, width);
        if (mean is not null)
        {
            Mean = [.. mean];
            Std = [.. std!];
            _normalize = new Normalize([.. mean], [.. std!]);
        }
    }

    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

    /// <summary>Per-channel mean, or null when the pipeline does not normalise.</summary>
    public IReadOnlyList<float>? Mean { get; }

    /// <summary>Per-channel standard deviation, or null when the pipeline does not normalise.</summary>
    public IReadOnlyList<float>? Std { get; }

    /// <summary>[C, H, W] of what the pipeline produces.</summary>
    public int[] Shape => [Channels, Height, Width];

    /// <summary>Decodes the file at <paramref name="path"/> and runs every step: C × H × W floats, normalised if configured.</summary>
    public float[] Load(string path) => Process(ImageDecoder.Decode(path));

    /// <summary>Runs every step on an already decoded image.</summary>
    public float[] Process(DecodedImage image)
    {
        var pixels = Prepare(image);
        _normalize?.Apply(pixels, Channels, Height, Width, NoRandomness);
        return pixels;
    }

    /// <summary>Channel conversion and resizing only: C × H × W values in [0, 1], what an <see cref="ImageDataset"/> holds.</summary>
    public float[] Prepare(DecodedImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var planar = ColorConversion.ToPlanar(image, Channels);
        return ImageResize.ResizeAndCrop(planar, Channels, image.Height, image.Width, Height, Width);
    }

    /// <summary>The images at <paramref name="paths"/> as one batch [N, C, H, W] on <paramref name="device"/>.</summary>
    public Tensor LoadBatch(IReadOnlyList<string> paths, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0) throw new ArgumentException("ImagePipeline.LoadBatch: no image paths given.", nameof(paths));
        int size = Channels * Height * Width;
        var values = new float[paths.Count * size];
        for (int i = 0; i < paths.Count; i++) Load(paths[i]).CopyTo(values, i * size);
        return Tensor.FromArray(values, [paths.Count, Channels, Height, Width], device);
    }

    public override string ToString() =>
        $"decode → {Channels}×{Height}×{Width}" + (Mean is null ? "" : $" → normalise (mean {string.Join(", ", Mean)}; std {string.Join(", ", Std!)})");

    // Normalize draws nothing; the generator only satisfies the transform interface.
    private static readonly Generator NoRandomness = new(0);
}
