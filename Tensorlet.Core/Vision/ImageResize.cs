namespace Tensorlet.Vision;

/// <summary>
/// Resizing and cropping of C × H × W float images. <see cref="Resize"/> is bilinear with antialiasing (the triangle
/// filter widened by the scale factor when shrinking, as PIL's and torchvision's <c>Resize(antialias=True)</c>), so a
/// large photo shrunk to 32 × 32 averages its pixels instead of sampling a few of them; enlarging is plain bilinear
/// interpolation with half-pixel centres (<c>align_corners=False</c>).
/// </summary>
public static class ImageResize
{
    /// <summary>Resizes every plane of <paramref name="image"/> from <paramref name="height"/> × <paramref name="width"/> to the target size.</summary>
    public static float[] Resize(ReadOnlySpan<float> image, int channels, int height, int width, int targetHeight, int targetWidth)
    {
        CheckShape(image.Length, channels, height, width);
        if (targetHeight <= 0 || targetWidth <= 0)
            throw new ArgumentException($"Resize: target size must be positive, got {targetHeight} × {targetWidth}.");
        if (targetHeight == height && targetWidth == width) return image.ToArray();
        var rows = Weights(width, targetWidth);
        var cols = Weights(height, targetHeight);
        // Separable: first along each row into an H × W' scratch, then along each column.
        var scratch = new float[height * targetWidth];
        var result = new float[channels * targetHeight * targetWidth];
        for (int c = 0; c < channels; c++)
        {
            var src = image.Slice(c * height * width, height * width);
            for (int y = 0; y < height; y++)
                for (int x = 0; x < targetWidth; x++)
                {
                    var (first, w) = rows[x];
                    double sum = 0;
                    for (int k = 0; k < w.Length; k++) sum += w[k] * src[y * width + first + k];
                    scratch[y * targetWidth + x] = (float)sum;
                }
            var dst = result.AsSpan(c * targetHeight * targetWidth, targetHeight * targetWidth);
            for (int y = 0; y < targetHeight; y++)
            {
                var (first, w) = cols[y];
                for (int x = 0; x < targetWidth; x++)
                {
                    double sum = 0;
                    for (int k = 0; k < w.Length; k++) sum += w[k] * scratch[(first + k) * targetWidth + x];
                    dst[y * targetWidth + x] = (float)sum;
                }
            }
        }
        return result;
    }

    /// <summary>
    /// The target-sized window at the centre of the image (torchvision's <c>CenterCrop</c>); where the image is larger
    /// by an odd number of pixels the extra one is cut from the bottom or right.
    /// </summary>
    public static float[] CenterCrop(ReadOnlySpan<float> image, int channels, int height, int width, int targetHeight, int targetWidth)
    {
        CheckShape(image.Length, channels, height, width);
        if (targetHeight <= 0 || targetWidth <= 0 || targetHeight > height || targetWidth > width)
            throw new ArgumentException($"CenterCrop: cannot cut {targetHeight} × {targetWidth} out of {height} × {width}.");
        int top = (height - targetHeight) / 2, left = (width - targetWidth) / 2;
        var result = new float[channels * targetHeight * targetWidth];
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < targetHeight; y++)
                image.Slice(c * height * width + (top + y) * width + left, targetWidth)
                     .CopyTo(result.AsSpan((c * targetHeight + y) * targetWidth, targetWidth));
        return result;
    }

    /// <summary>
    /// Scales the image, keeping its aspect ratio, until it covers the target, then cuts the centre out
    /// (<c>Resize</c> then <c>CenterCrop</c>): nothing is squashed, and a square target keeps the middle of a wide photo.
    /// </summary>
    public static float[] ResizeAndCrop(ReadOnlySpan<float> image, int channels, int height, int width, int targetHeight, int targetWidth)
    {
        var (h, w) = CoverSize(height, width, targetHeight, targetWidth);
        var resized = Resize(image, channels, height, width, h, w);
        return h == targetHeight && w == targetWidth ? resized : CenterCrop(resized, channels, h, w, targetHeight, targetWidth);
    }

    /// <summary>The smallest size with the image's aspect ratio that covers the target (each side at least the target's).</summary>
    public static (int Height, int Width) CoverSize(int height, int width, int targetHeight, int targetWidth)
    {
        double scale = Math.Max((double)targetHeight / height, (double)targetWidth / width);
        return (Math.Max(targetHeight, (int)Math.Round(height * scale)), Math.Max(targetWidth, (int)Math.Round(width * scale)));
    }

    /// <summary>
    /// For each output index along one axis: the first input index it reads and the normalised weights. Output pixel i
    /// is centred at input coordinate (i + ½)·s, s = in/out; input pixel j (centre j + ½) weighs
    /// max(0, 1 − |j + ½ − centre| / max(s, 1)), so shrinking widens the triangle to cover every input pixel.
    /// </summary>
    internal static (int First, double[] Weights)[] Weights(int inSize, int outSize)
    {
        double scale = (double)inSize / outSize, support = Math.Max(scale, 1.0);
        var result = new (int, double[])[outSize];
        for (int i = 0; i < outSize; i++)
        {
            double centre = (i + 0.5) * scale;
            int first = Math.Max(0, (int)Math.Floor(centre - support));
            int last = Math.Min(inSize, (int)Math.Ceiling(centre + support));
            var w = new double[last - first];
            double total = 0;
            for (int j = first; j < last; j++) total += w[j - first] = Math.Max(0, 1 - Math.Abs(j + 0.5 - centre) / support);
            for (int k = 0; k < w.Length; k++) w[k] /= total;
            result[i] = (first, w);
        }
        return result;
    }

    private static void CheckShape(int length, int channels, int height, int width)
    {
        if (channels <= 0 || height <= 0 || width <= 0 || length != channels * height * width)
            throw new ArgumentException($"Image of {length} values is not {channels} × {height} × {width}.");
    }
}
