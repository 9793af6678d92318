using StbImageWriteSharp;

namespace Tensorlet.Tests.Data;

/// <summary>Writes small PNG/JPEG pictures and CIFAR batches for the image tests (encoded by StbImageWriteSharp, not by the code under test).</summary>
internal static class ImageTestFiles
{
    /// <summary>PNG bytes of <paramref name="pixels"/> (H × W × channels, interleaved; 1 to 4 channels).</summary>
    public static byte[] Png(byte[] pixels, int width, int height, int channels)
    {
        using var stream = new MemoryStream();
        new ImageWriter().WritePng(pixels, width, height, (ColorComponents)channels, stream);
        return stream.ToArray();
    }

    public static byte[] Jpeg(byte[] pixels, int width, int height, int channels)
    {
        using var stream = new MemoryStream();
        new ImageWriter().WriteJpg(pixels, width, height, (ColorComponents)channels, stream, 95);
        return stream.ToArray();
    }

    /// <summary>A picture of one colour: <paramref name="width"/> × <paramref name="height"/> RGB pixels.</summary>
    public static byte[] SolidPng(int width, int height, byte red, byte green, byte blue) =>
        Png([.. Enumerable.Range(0, width * height).SelectMany(_ => new[] { red, green, blue })], width, height, 3);

    /// <summary>Pixels whose every byte follows a fixed pseudo-random sequence of <paramref name="seed"/>.</summary>
    public static byte[] Noise(int length, int seed)
    {
        var random = new Random(seed);
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>
    /// CIFAR-10 binary batches in <paramref name="directory"/>: <paramref name="perBatch"/> records in each of the five
    /// training files and the test file. Class c has a red level of 20c + noise, so the classes differ.
    /// </summary>
    public static void WriteCifar10(string directory, int perBatch)
    {
        Directory.CreateDirectory(directory);
        for (int b = 0; b <= 5; b++)
        {
            var records = new List<byte>();
            for (int i = 0; i < perBatch; i++)
            {
                int label = (b * perBatch + i) % 10;
                records.Add((byte)label);
                var pixels = Noise(3072, 100 * b + i);
                for (int p = 0; p < 1024; p++) pixels[p] = (byte)(20 * label + pixels[p] % 20);
                records.AddRange(pixels);
            }
            File.WriteAllBytes(Path.Combine(directory, b == 0 ? "test_batch.bin" : $"data_batch_{b}.bin"), [.. records]);
        }
    }
}
