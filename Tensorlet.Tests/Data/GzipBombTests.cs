using System.IO.Compression;
using Tensorlet.Data;
using static Tensorlet.Tests.Data.DataTestFiles;

namespace Tensorlet.Tests.Data;

/// <summary>
/// A small gzip file that inflates to far more than its IDX header promises is stopped as soon as the output passes
/// the header's size, with the file named, and without ever holding the expanded data.
/// </summary>
public class GzipBombTests : TempDirectoryFixture
{
    private const int Expanded = 64 << 20;

    /// <summary><paramref name="header"/> followed by 64 MiB of zeros, gzipped (about 64 KiB).</summary>
    private static byte[] Bomb(byte[] header)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(header);
            var zeros = new byte[1 << 20];
            for (int i = 0; i < Expanded / zeros.Length; i++) gzip.Write(zeros);
        }
        return output.ToArray();
    }

    private static long AllocatedBy(Action action)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Test]
    public void ImagesBombStopsAtTheHeaderSize()
    {
        byte[] bomb = Bomb(IdxHeader(IdxReader.ImagesMagic, 2, 28, 28));
        string path = Dir.Write("train-images-idx3-ubyte.gz", bomb);
        InvalidDataException? error = null;
        long allocated = AllocatedBy(() => error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path)));
        Assert.That(error!.Message, Does.StartWith($"{path}: at byte offset 1584 of the decompressed data:")
            .And.Contain("more than the 1584 bytes its IDX images header (2 × 28 × 28 after 16 header bytes) allows"));
        Assert.That(allocated, Is.LessThan(bomb.Length + (1 << 20)), "memory: the file plus a little, not the expanded 64 MiB");
    }

    [Test]
    public void LabelsBombStopsAtTheHeaderSize()
    {
        byte[] bomb = Bomb(IdxHeader(IdxReader.LabelsMagic, 3));
        string path = Dir.Write("labels.gz", bomb);
        long allocated = AllocatedBy(() =>
        {
            var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path, classCount: 10))!;
            Assert.That(error.Message, Does.StartWith($"{path}: at byte offset 11 of the decompressed data:"));
        });
        Assert.That(allocated, Is.LessThan(bomb.Length + (1 << 20)));
    }

    [Test]
    public void TrailerLengthBoundsFilesWithoutAHeader()
    {
        // CIFAR has no header; the gzip trailer's length (here forged to 3,073) is the bound.
        byte[] bomb = Bomb([]);
        BitConverter.TryWriteBytes(bomb.AsSpan(bomb.Length - 4), 3073u);
        string path = Dir.Write("data_batch_1.bin.gz", bomb);
        long allocated = AllocatedBy(() =>
        {
            var error = Assert.Throws<InvalidDataException>(() => Cifar10.Read("x", [path]))!;
            Assert.That(error.Message, Does.StartWith($"{path}: at byte offset 3073 of the decompressed data:")
                .And.Contain("its gzip trailer (3073 bytes)"));
        });
        Assert.That(allocated, Is.LessThan(bomb.Length + (1 << 20)));
    }

    [Test]
    public void AnHonestLargeFileStillLoads()
    {
        byte[] gz = Gzip(IdxImages(300, 28, 28, seed: 3));
        string path = Dir.Write("images.gz", gz);
        Assert.That(IdxReader.ReadImages(path).Pixels, Is.EqualTo(Pattern(300 * 28 * 28, seed: 3)));
    }
}
