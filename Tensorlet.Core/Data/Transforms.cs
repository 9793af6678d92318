namespace Tensorlet.Data;

/// <summary>
/// A per-image augmentation or normalisation applied by the <see cref="DataLoader"/> on its loading thread,
/// in place on one C × H × W image. Random transforms draw only from the generator they are given, so a
/// loader's seed fixes every augmentation.
/// </summary>
public interface ITransform
{
    void Apply(Span<float> image, int channels, int height, int width, Generator generator);
}

/// <summary>(x − mean[c]) / std[c] per channel, like torchvision's Normalize.</summary>
public sealed class Normalize : ITransform
{
    private readonly float[] _mean, _std;

    public Normalize(float[] mean, float[] std)
    {
        if (mean.Length != std.Length || mean.Length == 0)
            throw new ArgumentException($"Normalize: mean has {mean.Length} values and std {std.Length}; give one of each per channel.");
        if (std.Any(s => !(s > 0))) throw new ArgumentException("Normalize: every std must be positive.");
        (_mean, _std) = ((float[])mean.Clone(), (float[])std.Clone());
    }

    public void Apply(Span<float> image, int channels, int height, int width, Generator generator)
    {
        if (channels != _mean.Length)
            throw new ArgumentException($"Normalize: configured for {_mean.Length} channels, image has {channels}.");
        int plane = height * width;
        for (int c = 0; c < channels; c++)
        {
            var p = image.Slice(c * plane, plane);
            float m = _mean[c], inv = 1f / _std[c];
            for (int i = 0; i < p.Length; i++) p[i] = (p[i] - m) * inv;
        }
    }
}

/// <summary>Zero-pads by <c>padding</c> on every side, then crops a random H × W window (torchvision's RandomCrop(size, padding)).</summary>
public sealed class RandomCrop(int padding) : ITransform
{
    [ThreadStatic] private static float[]? _scratch;

    public int Padding { get; } = padding >= 0 ? padding : throw new ArgumentOutOfRangeException(nameof(padding), padding, "RandomCrop: padding must be non-negative.");

    public void Apply(Span<float> image, int channels, int height, int width, Generator generator)
    {
        int dy = generator.NextInt(2 * Padding + 1) - Padding, dx = generator.NextInt(2 * Padding + 1) - Padding;
        if (dy == 0 && dx == 0) return;
        var scratch = _scratch is { } s && s.Length >= image.Length ? s : _scratch = new float[image.Length];
        image.CopyTo(scratch);
        int plane = height * width;
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < height; y++)
            {
                int sy = y + dy;
                var row = image.Slice(c * plane + y * width, width);
                if (sy < 0 || sy >= height) { row.Clear(); continue; }
                for (int x = 0; x < width; x++)
                {
                    int sx = x + dx;
                    row[x] = sx < 0 || sx >= width ? 0f : scratch[c * plane + sy * width + sx];
                }
            }
    }
}

/// <summary>Mirrors the image left–right with probability <c>p</c>.</summary>
public sealed class RandomHorizontalFlip(float p = 0.5f) : ITransform
{
    public void Apply(Span<float> image, int channels, int height, int width, Generator generator)
    {
        if (generator.NextFloat() >= p) return;
        for (int r = 0; r < channels * height; r++) image.Slice(r * width, width).Reverse();
    }
}
