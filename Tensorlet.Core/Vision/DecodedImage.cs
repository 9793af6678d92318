namespace Tensorlet.Vision;

/// <summary>
/// An image as its file stores it: <see cref="Height"/> × <see cref="Width"/> pixels of <see cref="Channels"/> bytes each,
/// interleaved row by row (1 grey, 2 grey + alpha, 3 RGB, 4 RGBA). <see cref="ImageDecoder"/> makes it;
/// <see cref="ColorConversion.ToPlanar"/> turns it into the C × H × W floats a model takes.
/// </summary>
public sealed class DecodedImage
{
    public DecodedImage(string name, byte[] pixels, int width, int height, int channels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (width <= 0 || height <= 0) throw new ArgumentException($"{name}: image size must be positive, got {width} × {height}.");
        if (channels is < 1 or > 4) throw new ArgumentException($"{name}: an image has 1 to 4 channels, got {channels}.");
        if (pixels.LongLength != (long)width * height * channels)
            throw new ArgumentException($"{name}: {pixels.Length} bytes do not match {width} × {height} × {channels} channels.");
        (Name, Pixels, Width, Height, Channels) = (name, pixels, width, height, channels);
    }

    /// <summary>Where the image came from (a path), for error messages.</summary>
    public string Name { get; }

    /// <summary>H × W × channels bytes, row-major, channels interleaved.</summary>
    public byte[] Pixels { get; }

    public int Width { get; }

    public int Height { get; }

    /// <summary>1 grey, 2 grey + alpha, 3 RGB, 4 RGBA.</summary>
    public int Channels { get; }

    public override string ToString() => $"{Name}: {Width}×{Height}, {Channels} channel(s)";
}
