namespace Tensorlet.Vision;

/// <summary>
/// Turns a <see cref="DecodedImage"/> into the C × H × W floats in [0, 1] a model takes, with 1 (grey) or 3 (RGB)
/// channels whatever the file holds: alpha is dropped (as PIL's <c>convert("RGB")</c>), grey is repeated into R, G
/// and B, and colour becomes grey by the ITU-R 601 luma 0.299 R + 0.587 G + 0.114 B (PIL's <c>convert("L")</c>,
/// torchvision's <c>Grayscale</c>).
/// </summary>
public static class ColorConversion
{
    public const float RedLuma = 0.299f, GreenLuma = 0.587f, BlueLuma = 0.114f;

    /// <summary>The image as <paramref name="channels"/> (1 or 3) planes of <c>Height × Width</c> values in [0, 1].</summary>
    public static float[] ToPlanar(DecodedImage image, int channels)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (channels is not (1 or 3))
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "ToPlanar: a model takes 1 (grey) or 3 (RGB) channels.");
        int plane = image.Width * image.Height, stride = image.Channels;
        bool colour = image.Channels >= 3;
        var pixels = image.Pixels;
        var result = new float[channels * plane];
        for (int i = 0; i < plane; i++)
        {
            int p = i * stride;
            if (colour && channels == 3)
            {
                result[i] = pixels[p] / 255f;
                result[plane + i] = pixels[p + 1] / 255f;
                result[2 * plane + i] = pixels[p + 2] / 255f;
            }
            else if (colour)
            {
                result[i] = (RedLuma * pixels[p] + GreenLuma * pixels[p + 1] + BlueLuma * pixels[p + 2]) / 255f;
            }
            else
            {
                float grey = pixels[p] / 255f;
                for (int c = 0; c < channels; c++) result[c * plane + i] = grey;
            }
        }
        return result;
    }
}
