using Tensorlet.Vision;
using static Tensorlet.Tests.Data.ImageTestFiles;

namespace Tensorlet.Tests.Data;

/// <summary>Decoding, colour conversion, resizing and cropping, checked against plain double-precision references.</summary>
public class ImagePipelineTests
{
    [TestCase(1), TestCase(2), TestCase(3), TestCase(4)]
    public void PngDecodesToTheWrittenPixels(int channels)
    {
        var pixels = Noise(7 * 5 * channels, channels);
        var image = ImageDecoder.Decode(Png(pixels, 7, 5, channels), "noise.png");
        Assert.That((image.Width, image.Height, image.Channels), Is.EqualTo((7, 5, channels)));
        Assert.That(image.Pixels, Is.EqualTo(pixels));
    }

    [Test]
    public void JpegDecodesCloseToTheWrittenPixels()
    {
        var image = ImageDecoder.Decode(Jpeg(Enumerable.Repeat((byte)200, 16 * 8 * 3).ToArray(), 16, 8, 3), "flat.jpg");
        Assert.That((image.Width, image.Height, image.Channels), Is.EqualTo((16, 8, 3)));
        Assert.That(image.Pixels.Select(p => (int)p), Is.All.InRange(197, 203), "JPEG is lossy, but a flat colour survives");
    }

    [Test]
    public void DamagedFilesAreRefusedNamingTheFile()
    {
        var png = Png(Noise(20 * 20 * 3, 1), 20, 20, 3);
        var truncated = Assert.Throws<InvalidDataException>(() => ImageDecoder.Decode(png[..(png.Length / 2)], "half.png"))!;
        Assert.That(truncated.Message, Does.StartWith("half.png:"));
        var text = Assert.Throws<InvalidDataException>(() => ImageDecoder.Decode("hello, world"u8.ToArray(), "notes.png"))!;
        Assert.That(text.Message, Does.StartWith("notes.png:").And.Contain("not a PNG"));
        var empty = Assert.Throws<InvalidDataException>(() => ImageDecoder.Decode([], "empty.jpg"))!;
        Assert.That(empty.Message, Does.StartWith("empty.jpg:").And.Contain("empty"));
        // Headers claiming absurd sizes are refused before anything that size is allocated: 100,000² by the decoder
        // itself, 17,000² (within the decoder's limit) by ours.
        var tooLarge = Assert.Throws<InvalidDataException>(() => ImageDecoder.Decode(WithSize(png, 100_000), "huge.png"))!;
        Assert.That(tooLarge.Message, Does.StartWith("huge.png:").And.Contain("header is unusable"));
        var overLimit = Assert.Throws<InvalidDataException>(() => ImageDecoder.Decode(WithSize(png, 17_000), "big.png"))!;
        Assert.That(overLimit.Message, Does.StartWith("big.png:").And.Contain("17000 × 17000"));
        var missing = Assert.Throws<FileNotFoundException>(() => ImageDecoder.Decode("/nonexistent/cat.png"))!;
        Assert.That(missing.Message, Does.Contain("/nonexistent/cat.png"));
    }

    /// <summary>The PNG with its IHDR width and height (bytes 16–23) both set to <paramref name="side"/>.</summary>
    private static byte[] WithSize(byte[] png, int side)
    {
        var copy = (byte[])png.Clone();
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(copy.AsSpan(16), side);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(copy.AsSpan(20), side);
        return copy;
    }

    [TestCase(1, 1), TestCase(1, 3), TestCase(2, 1), TestCase(2, 3), TestCase(3, 1), TestCase(3, 3), TestCase(4, 1), TestCase(4, 3)]
    public void ColourConversionMatchesTheLumaFormula(int stored, int wanted)
    {
        var pixels = Noise(6 * 4 * stored, 10 * stored + wanted);
        var planar = ColorConversion.ToPlanar(new DecodedImage("x", pixels, 6, 4, stored), wanted);
        Assert.That(planar, Has.Length.EqualTo(wanted * 24));
        for (int i = 0; i < 24; i++)
        {
            int p = i * stored;
            // The plain definition: grey files repeat their one value; colour files give R, G, B or their 601 luma; alpha never counts.
            double[] rgb = stored >= 3 ? [pixels[p], pixels[p + 1], pixels[p + 2]] : [pixels[p], pixels[p], pixels[p]];
            double[] expected = wanted == 3 ? rgb : stored >= 3 ? [0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]] : [rgb[0]];
            for (int c = 0; c < wanted; c++)
                Assert.That(planar[c * 24 + i], Is.EqualTo(expected[c] / 255).Within(1e-6), $"pixel {i} channel {c}");
        }
    }

    [TestCase(8, 8, 8, 8), TestCase(8, 8, 4, 4), TestCase(9, 7, 3, 5), TestCase(4, 5, 11, 13), TestCase(32, 20, 7, 9), TestCase(5, 40, 5, 6)]
    public void ResizeMatchesADirectTwoDimensionalReference(int height, int width, int targetHeight, int targetWidth)
    {
        var image = Noise(2 * height * width, height * 100 + width).Select(b => b / 255f).ToArray();
        var resized = ImageResize.Resize(image, 2, height, width, targetHeight, targetWidth);
        var expected = ReferenceResize(image, 2, height, width, targetHeight, targetWidth);
        Assert.That(resized, Has.Length.EqualTo(expected.Length));
        for (int i = 0; i < expected.Length; i++) Assert.That(resized[i], Is.EqualTo(expected[i]).Within(1e-5), $"value {i}");
    }

    [Test]
    public void ResizeGivesTheKnownBilinearValues()
    {
        // Enlarging is bilinear with half-pixel centres: torch.nn.functional.interpolate([0, 1], 4, align_corners=False).
        Assert.That(ImageResize.Resize([0f, 1f], 1, 1, 2, 1, 4), Is.EqualTo(new[] { 0f, 0.25f, 0.75f, 1f }).Within(1e-6f));
        // Halving widens the triangle to two input pixels: output 0 is centred on 1.0 and weighs pixels 0, 1, 2 by 3/4, 3/4, 1/4.
        Assert.That(ImageResize.Resize([0f, 1f, 2f, 3f], 1, 1, 4, 1, 2), Is.EqualTo(new[] { 1.25f / 1.75f, 3f - 1.25f / 1.75f }).Within(1e-6f));
        Assert.That(ImageResize.Resize(Enumerable.Repeat(0.3f, 35).ToArray(), 1, 5, 7, 3, 2), Is.All.EqualTo(0.3f).Within(1e-6f), "a flat image stays flat");
    }

    [Test]
    public void ResizeAndCropKeepsTheCentreOfAWidePicture()
    {
        // 4 × 12 → 2 × 2: scaled by 1/2 to 2 × 6, then columns 2 and 3 of the six are kept.
        var image = Enumerable.Range(0, 48).Select(i => (float)(i % 12)).ToArray();
        var result = ImageResize.ResizeAndCrop(image, 1, 4, 12, 2, 2);
        var full = ReferenceResize(image, 1, 4, 12, 2, 6);
        Assert.That(result, Is.EqualTo(new[] { full[2], full[3], full[8], full[9] }).Within(1e-5));
        Assert.That(ImageResize.CoverSize(4, 12, 2, 2), Is.EqualTo((2, 6)));
        Assert.That(ImageResize.CenterCrop([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f], 1, 3, 3, 1, 1), Is.EqualTo(new[] { 5f }));
        Assert.Throws<ArgumentException>(() => ImageResize.CenterCrop(new float[9], 1, 3, 3, 4, 1));
    }

    [Test]
    public void PipelineConvertsResizesAndNormalises()
    {
        using var dir = new TempDirectory();
        var pixels = Noise(50 * 40 * 3, 3);
        string path = dir.Write("photo.png", Png(pixels, 50, 40, 3));
        var plain = new ImagePipeline(1, 8, 8);
        var normalised = new ImagePipeline(1, 8, 8, [0.5f], [0.25f]);
        var prepared = plain.Load(path);
        var expected = ImageResize.ResizeAndCrop(ColorConversion.ToPlanar(ImageDecoder.Decode(path), 1), 1, 40, 50, 8, 8);
        Assert.That(prepared, Is.EqualTo(expected));
        Assert.That(normalised.Load(path), Is.EqualTo(prepared.Select(v => (v - 0.5f) / 0.25f)).Within(1e-5f));
        using var batch = normalised.LoadBatch([path, path]);
        Assert.That(batch.Shape, Is.EqualTo(new[] { 2, 1, 8, 8 }));
        Assert.Throws<ArgumentException>(() => _ = new ImagePipeline(3, 8, 8, [0.5f], [0.2f]));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new ImagePipeline(2, 8, 8));
    }

    /// <summary>
    /// out(y, x) = Σ wy(j)·wx(k)·in(j, k) / (Σ wy · Σ wx) over every input pixel, each weight the triangle
    /// max(0, 1 − |centre distance| / max(scale, 1)) computed in double, with no precomputed tables and no separable passes.
    /// </summary>
    private static double[] ReferenceResize(float[] image, int channels, int height, int width, int th, int tw)
    {
        double Weight(int j, int i, int inSize, int outSize)
        {
            double scale = (double)inSize / outSize, support = Math.Max(scale, 1);
            return Math.Max(0, 1 - Math.Abs(j + 0.5 - (i + 0.5) * scale) / support);
        }
        var result = new double[channels * th * tw];
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < th; y++)
                for (int x = 0; x < tw; x++)
                {
                    double sum = 0, total = 0;
                    for (int j = 0; j < height; j++)
                        for (int k = 0; k < width; k++)
                        {
                            double w = Weight(j, y, height, th) * Weight(k, x, width, tw);
                            sum += w * image[(c * height + j) * width + k];
                            total += w;
                        }
                    result[(c * th + y) * tw + x] = sum / total;
                }
        return result;
    }
}
