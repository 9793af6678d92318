namespace Tensorlet.Data;

/// <summary>
/// Per-channel mean and standard deviation of a dataset's pixels, the numbers torchvision's <c>Normalize</c> is given
/// (for CIFAR-10 about (0.491, 0.482, 0.447) and (0.247, 0.243, 0.262)). Sums run in double, image by image, so the
/// result does not depend on thread counts and is the same each time the same data is read.
/// </summary>
public static class ChannelStatistics
{
    /// <summary>
    /// The mean and population standard deviation of each channel over every pixel of every image. A constant channel
    /// gets a standard deviation of 1 rather than 0, so normalising shifts it instead of dividing by zero.
    /// </summary>
    public static (float[] Mean, float[] Std) Compute(ImageDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count == 0) throw new ArgumentException($"{data.Name}: no images to compute channel statistics from.", nameof(data));
        int channels = data.Channels, plane = data.Height * data.Width;
        var sum = new double[channels];
        var squares = new double[channels];
        for (int i = 0; i < data.Count; i++)
        {
            var image = data.Image(i);
            for (int c = 0; c < channels; c++)
                foreach (float v in image.Slice(c * plane, plane))
                {
                    sum[c] += v;
                    squares[c] += (double)v * v;
                }
        }
        double n = (double)data.Count * plane;
        var mean = new float[channels];
        var std = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            double m = sum[c] / n;
            mean[c] = (float)m;
            float s = (float)Math.Sqrt(Math.Max(0, squares[c] / n - m * m));
            std[c] = s > 0 ? s : 1f;
        }
        return (mean, std);
    }
}
