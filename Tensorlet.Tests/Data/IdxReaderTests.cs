using Tensorlet.Data;
using static Tensorlet.Tests.Data.DataTestFiles;

namespace Tensorlet.Tests.Data;

public class IdxReaderTests : TempDirectoryFixture
{
    private static void AssertMessage(Exception error, params string[] parts)
    {
        foreach (string part in parts)
        {
            Assert.That(error.Message, Does.Contain(part));
        }
    }

    [Test]
    public void ReadsRawImages()
    {
        string path = Dir.Write("images-idx3-ubyte", IdxImages(3, 2, 4, seed: 7));
        var images = IdxReader.ReadImages(path);
        Assert.That((images.Count, images.Rows, images.Cols), Is.EqualTo((3, 2, 4)));
        Assert.That(images.Pixels, Is.EqualTo(Pattern(24, seed: 7)));
    }

    [Test]
    public void DetectsGzipByContentNotByName()
    {
        string images = Dir.Write("images.bin", Gzip(IdxImages(2, 3, 3)));
        string labels = Dir.Write("labels-idx1-ubyte.gz.raw", Gzip(IdxLabels(4, 2)));
        Assert.That(IdxReader.ReadImages(images).Pixels, Is.EqualTo(Pattern(18)));
        Assert.That(IdxReader.ReadLabels(labels, classCount: 10), Is.EqualTo(new byte[] { 4, 2 }));
    }

    [Test]
    public void RawFileNamedGzIsReadRaw()
    {
        string labels = Dir.Write("labels.gz", IdxLabels(1, 2, 0));
        Assert.That(IdxReader.ReadLabels(labels), Is.EqualTo(new byte[] { 1, 2, 0 }));
    }

    [Test]
    public void StreamOverloadsUseTheDisplayName()
    {
        using var good = new MemoryStream(Gzip(IdxLabels(9, 0)));
        Assert.That(IdxReader.ReadLabels(good, "res:labels", classCount: 10), Is.EqualTo(new byte[] { 9, 0 }));

        using var bad = new MemoryStream(IdxLabels(1, 2));
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(bad, "res:images"))!;
        AssertMessage(error, "res:images: at byte offset 3");
    }

    [Test]
    public void RejectsZeroItems()
    {
        string images = Dir.Write("empty-images", IdxImages(0, 28, 28));
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(images))!;
        AssertMessage(error, images, "at byte offset 4", "item count: expected at least one image, found 0");

        string labels = Dir.Write("empty-labels", IdxLabels());
        error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(labels, classCount: 10))!;
        AssertMessage(error, labels, "at byte offset 4", "expected at least one label, found 0");
    }

    [Test]
    public void ZeroHugeImagesDoNotOverflowThePixelCount()
    {
        // 0 × (2^31 − 1) × (2^31 − 1) holds no bytes, so only the item count stops it; the pixel count must not wrap to 1.
        string path = Dir.Write("zero-huge", IdxHeader(0x803, 0, int.MaxValue, int.MaxValue));
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path))!;
        AssertMessage(error, path, "found 0");
        Assert.Throws<OverflowException>(() => _ = new IdxImages(1, int.MaxValue, int.MaxValue, []).PixelsPerImage);
    }

    [Test]
    public void RejectsImagesLargerThanAnArray()
    {
        string path = Dir.Write("wide", [.. IdxHeader(0x803, 1, 65536, 65536), 0]);
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path))!;
        AssertMessage(error, path, "at byte offset 8", "65536 × 65536 pixels per image is more than one array holds");
    }

    [Test]
    public void RejectsWrongMagic()
    {
        string path = Dir.Write("photo.png", [0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path))!;
        AssertMessage(error, path, "at byte offset 0", "expected IDX magic 0x00000803", "found 0x89504E47", "not an IDX file");
        Assert.That(error.Data[DataFormatError.FileNameKey], Is.EqualTo(path));
        Assert.That(error.Data[DataFormatError.OffsetKey], Is.EqualTo(0L));
    }

    [Test]
    public void RejectsLabelsFileReadAsImages()
    {
        string path = Dir.Write("train-labels-idx1-ubyte", IdxLabels(1, 2, 3));
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path))!;
        AssertMessage(error, path, "at byte offset 3", "expected IDX magic 0x00000803", "3 dimension(s)", "found 1",
            "looks like a labels file");
    }

    [Test]
    public void RejectsImagesFileReadAsLabels()
    {
        string path = Dir.Write("train-images-idx3-ubyte", IdxImages(1, 2, 2));
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path))!;
        AssertMessage(error, path, "at byte offset 3", "expected IDX magic 0x00000801", "found 3", "looks like an images file");
    }

    [Test]
    public void RejectsWrongElementType()
    {
        string path = Dir.Write("floats", [.. IdxHeader(0x0D03, 1, 1, 1), 0, 0, 0, 0]);
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path))!;
        AssertMessage(error, path, "at byte offset 2", "element type", "0x08 (unsigned byte)", "found 0x0D (float32)");
    }

    [Test]
    public void RejectsTruncatedHeader()
    {
        string path = Dir.Write("short", IdxHeader(0x803, 5, 28)); // the columns field is missing
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path))!;
        AssertMessage(error, path, "at byte offset 12", "truncated IDX header", "expected 16 bytes, found 12");
    }

    [Test]
    public void RejectsNegativeDimension()
    {
        string path = Dir.Write("negative", IdxHeader(0x803, 1, -2, 3));
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path))!;
        AssertMessage(error, path, "at byte offset 8", "size of dimension 1", "non-negative", "found -2");
    }

    [Test]
    public void RejectsTruncatedPixelData()
    {
        byte[] whole = IdxImages(3, 4, 5);
        string path = Dir.Write("cut", whole[..^10]);
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path))!;
        AssertMessage(error, path, $"at byte offset {whole.Length - 10}", "truncated file", "expected 60 bytes of images data",
            "found 50");
    }

    [Test]
    public void RejectsHugeDimensionsWithoutOverflow()
    {
        string path = Dir.Write("huge", IdxHeader(0x803, int.MaxValue, int.MaxValue, int.MaxValue));
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path))!;
        AssertMessage(error, path, "at byte offset 8", "more than one array holds");
    }

    [Test]
    public void RejectsTrailingGarbage()
    {
        string path = Dir.Write("long", [.. IdxLabels(1, 2), 0xAA, 0xBB, 0xCC]);
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path))!;
        AssertMessage(error, path, "at byte offset 10", "trailing data", "after 2 bytes of labels data", "found 3 more bytes");
    }

    [Test]
    public void ErrorsInGzipFilesCountDecompressedBytes()
    {
        string path = Dir.Write("long.gz", Gzip([.. IdxLabels(1, 0), 0xAA]));
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path))!;
        AssertMessage(error, path, "at byte offset 10 of the decompressed data", "more than the 10 bytes its IDX labels header (2 after 8 header bytes)");
    }

    [Test]
    public void RejectsLabelsOutOfRange()
    {
        string path = Dir.Write("labels", IdxLabels(0, 9, 3, 12, 1));
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path, classCount: 10))!;
        AssertMessage(error, path, "at byte offset 11", "label 3", "expected a class in 0..9", "found 12");
    }

    [Test]
    public void WithoutAClassCountEveryClassUpToTheLargestLabelMustOccur()
    {
        string path = Dir.Write("labels", IdxLabels(0, 9, 3, 12, 1));
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path))!;
        AssertMessage(error, path, "at byte offset 11", "label 3: 12 implies 13 classes, but class 2 never occurs");

        string complete = Dir.Write("complete", IdxLabels(2, 0, 1, 1));
        Assert.That(IdxReader.ReadLabels(complete), Is.EqualTo(new byte[] { 2, 0, 1, 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => IdxReader.ReadLabels(complete, classCount: 0));
    }

    [Test]
    public void RejectsCorruptGzipData()
    {
        byte[] gz = Gzip(IdxImages(20, 28, 28));
        for (int i = 20; i < gz.Length - 20; i++)
        {
            gz[i] ^= 0x5A;
        }
        string path = Dir.Write("corrupt.gz", gz);
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path))!;
        AssertMessage(error, path, "at byte offset", "gzip stream");
    }

    [Test]
    public void RejectsTruncatedGzip()
    {
        byte[] gz = Gzip(IdxImages(20, 28, 28));
        string path = Dir.Write("cut.gz", gz[..(gz.Length / 2)]);
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path))!;
        AssertMessage(error, path, $"at byte offset {gz.Length / 2 - 8} of the gzip file", "corrupt or truncated gzip stream");
    }

    [Test]
    public void RejectsGzipWithBadChecksum()
    {
        byte[] gz = Gzip(IdxLabels(1, 2, 3));
        gz[^8] ^= 0xFF;
        string path = Dir.Write("crc.gz", gz);
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path))!;
        // zlib verifies the CRC itself; either way the file is refused with its name.
        AssertMessage(error, path, "at byte offset", "corrupt", "gzip stream");
    }

    [Test]
    public void RejectsGzipFollowedByGarbage()
    {
        string path = Dir.Write("tail.gz", [.. Gzip(IdxLabels(1, 2, 3)), 1, 2, 3, 4]);
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path))!;
        AssertMessage(error, path, "corrupt or truncated gzip stream");
    }

    [Test]
    public void RejectsGzipHeaderOnly()
    {
        string path = Dir.Write("stub.gz", [0x1F, 0x8B, 8, 0]);
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path))!;
        AssertMessage(error, path, "at byte offset 4 of the gzip file", "expected at least 18 bytes", "found 4");
    }

    [Test]
    public void MissingFileNamesThePath()
    {
        string path = Path.Combine(Dir.Path, "absent-idx3-ubyte");
        var error = Assert.Throws<FileNotFoundException>(() => IdxReader.ReadImages(path))!;
        Assert.That(error.FileName, Is.EqualTo(path));
    }
}
