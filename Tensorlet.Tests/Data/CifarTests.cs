using Tensorlet.Data;
using static Tensorlet.Tests.Data.DataTestFiles;

namespace Tensorlet.Tests.Data;

public class CifarTests : TempDirectoryFixture
{
    private const int PixelBytes = 3072;

    /// <summary>Records whose pixels are constant per channel: red = r, green = r + 1, blue = r + 2.</summary>
    private static byte[] Records(params (byte[] Labels, byte Red)[] records) =>
    [
        .. records.SelectMany(r => r.Labels
            .Concat(Enumerable.Repeat(r.Red, 1024))
            .Concat(Enumerable.Repeat((byte)(r.Red + 1), 1024))
            .Concat(Enumerable.Repeat((byte)(r.Red + 2), 1024))),
    ];

    private void WriteCifar10(string folder)
    {
        for (int b = 1; b <= 5; b++)
        {
            Dir.Write(Path.Combine(folder, $"data_batch_{b}.bin"), Records(([(byte)b], (byte)(10 * b)), ([(byte)(b + 4)], 0)));
        }
        Dir.Write(Path.Combine(folder, "test_batch.bin"), Records(([9], 252)));
    }

    [Test]
    public void Cifar10LoadsBatchesInOrderAsChannelPlanes()
    {
        WriteCifar10("");
        var train = Cifar10.Load(Dir.Path, train: true);
        Assert.That((train.Count, train.Channels, train.Height, train.Width), Is.EqualTo((10, 3, 32, 32)));
        Assert.That(train.Labels, Is.EqualTo(new[] { 1, 5, 2, 6, 3, 7, 4, 8, 5, 9 }));
        var first = train.Image(0);
        Assert.That((first[0], first[1023]), Is.EqualTo((10 / 255f, 10 / 255f)));
        Assert.That((first[1024], first[2047]), Is.EqualTo((11 / 255f, 11 / 255f)));
        Assert.That((first[2048], first[3071]), Is.EqualTo((12 / 255f, 12 / 255f)));
        Assert.That(train.ClassNames[0], Is.EqualTo("airplane"));

        var test = Cifar10.Load(Dir.Path, train: false);
        Assert.That(test.Labels, Is.EqualTo(new[] { 9 }));
        Assert.That(test.Images.Max(), Is.EqualTo(254 / 255f));
    }

    [Test]
    public void Cifar10FindsTheArchiveSubfolder()
    {
        WriteCifar10("cifar-10-batches-bin");
        Assert.That(Cifar10.Load(Dir.Path, train: true).Count, Is.EqualTo(10));
        Assert.That(Cifar10.Load(Dir.Path, train: false).Count, Is.EqualTo(1));
    }

    [Test]
    public void Cifar10NamesMissingFiles()
    {
        WriteCifar10("");
        File.Delete(Path.Combine(Dir.Path, "data_batch_3.bin"));
        var error = Assert.Throws<FileNotFoundException>(() => Cifar10.Load(Dir.Path, train: true))!;
        Assert.That(error.Message, Does.Contain("data_batch_3.bin").And.Contain(Dir.Path).And.Not.Contain("data_batch_2.bin"));
        Assert.That(error.FileName, Is.EqualTo(Path.Combine(Dir.Path, "data_batch_3.bin")));
    }

    [Test]
    public void RejectsSizeNotAMultipleOfTheRecord()
    {
        string path = Dir.Write("batch.bin", [.. Records(([1], 0), ([2], 0)), 7, 7, 7]);
        var error = Assert.Throws<InvalidDataException>(() => Cifar10.Read("x", [path]))!;
        Assert.That(error.Message, Does.StartWith($"{path}: at byte offset {2 * 3073}:"));
        Assert.That(error.Message, Does.Contain("3073-byte CIFAR-10 record").And.Contain("2 whole records and 3 leftover bytes"));
    }

    [Test]
    public void RejectsEmptyFile()
    {
        string path = Dir.Write("empty.bin", []);
        var error = Assert.Throws<InvalidDataException>(() => Cifar10.Read("x", [path]))!;
        Assert.That(error.Message, Does.Contain(path).And.Contain("at byte offset 0").And.Contain("empty file"));
    }

    [Test]
    public void RejectsNoFiles()
    {
        var error = Assert.Throws<ArgumentException>(() => Cifar10.Read("cifar-x", []))!;
        Assert.That(error.Message, Does.Contain("cifar-x").And.Contain("no files given"));
        Assert.Throws<ArgumentException>(() => Cifar100.Read("cifar-y", []));
    }

    [Test]
    public void RejectsATruncatedRecordInAGzipFile()
    {
        string path = Dir.Write("cut.bin.gz", DataTestFiles.Gzip(Records(([3], 0), ([4], 0))[..^1]));
        var error = Assert.Throws<InvalidDataException>(() => Cifar10.Read("x", [path]))!;
        Assert.That(error.Message, Does.StartWith($"{path}: at byte offset 3073 of the decompressed data:"));
    }

    [Test]
    public void RejectsCifar10LabelOutOfRange()
    {
        string good = Dir.Write("good.bin", Records(([1], 0)));
        string bad = Dir.Write("bad.bin", Records(([1], 0), ([0], 0), ([10], 0)));
        var error = Assert.Throws<InvalidDataException>(() => Cifar10.Read("x", [good, bad]))!;
        Assert.That(error.Message, Does.StartWith($"{bad}: at byte offset {2 * 3073}:"));
        Assert.That(error.Message, Does.Contain("label of record 2").And.Contain("expected a class in 0..9, found 10"));
    }

    [Test]
    public void Cifar100ReadsFineOrCoarseLabels()
    {
        Dir.Write("cifar-100-binary/train.bin", Records(([19, 99], 1), ([0, 42], 2)));
        Dir.Write("cifar-100-binary/test.bin", Records(([4, 7], 3)));
        var fine = Cifar100.Load(Dir.Path, train: true);
        Assert.That(fine.Labels, Is.EqualTo(new[] { 99, 42 }));
        Assert.That(fine.ClassCount, Is.EqualTo(100));
        Assert.That(fine.ClassNames[99], Is.EqualTo("worm"));
        Assert.That(fine.Image(1)[PixelBytes - 1], Is.EqualTo(4 / 255f));

        var coarse = Cifar100.Load(Dir.Path, train: true, Cifar100Labels.Coarse);
        Assert.That(coarse.Labels, Is.EqualTo(new[] { 19, 0 }));
        Assert.That(coarse.ClassCount, Is.EqualTo(20));
        Assert.That(Cifar100.Load(Dir.Path, train: false).Labels, Is.EqualTo(new[] { 7 }));
    }

    [Test]
    public void Cifar100ClassNamesAreDistinct()
    {
        Assert.That(Cifar100.FineClassNames, Has.Count.EqualTo(100).And.Unique);
        Assert.That(Cifar100.CoarseClassNames, Has.Count.EqualTo(20).And.Unique);
        Assert.That(Cifar100.FineClassNames, Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
    }

    [TestCase(Cifar100Labels.Fine)]
    [TestCase(Cifar100Labels.Coarse)]
    public void Cifar100ChecksBothLabelsWhicheverIsUsed(Cifar100Labels use)
    {
        string fine = Dir.Write("fine.bin", Records(([0, 0], 0), ([3, 100], 0)));
        var error = Assert.Throws<InvalidDataException>(() => Cifar100.Read("x", [fine], use))!;
        Assert.That(error.Message, Does.StartWith($"{fine}: at byte offset {3074 + 1}:"));
        Assert.That(error.Message, Does.Contain("fine label of record 1").And.Contain("expected a class in 0..99, found 100"));

        string coarse = Dir.Write("coarse.bin", Records(([20, 5], 0)));
        error = Assert.Throws<InvalidDataException>(() => Cifar100.Read("x", [coarse], use))!;
        Assert.That(error.Message, Does.StartWith($"{coarse}: at byte offset 0:"));
        Assert.That(error.Message, Does.Contain("coarse label of record 0").And.Contain("expected a class in 0..19, found 20"));
    }

    [Test]
    public void Cifar100RecordSizeIsStated()
    {
        string path = Dir.Write("train.bin", Records(([1, 1], 0))[..^1]);
        var error = Assert.Throws<InvalidDataException>(() => Cifar100.Read("x", [path]))!;
        Assert.That(error.Message, Does.Contain("3074-byte CIFAR-100 record").And.Contain("0 whole records and 3073 leftover bytes"));
    }

    [Test]
    public void Cifar100MissingDirectoryIsNamed()
    {
        string absent = Path.Combine(Dir.Path, "nope");
        var error = Assert.Throws<DirectoryNotFoundException>(() => Cifar100.Load(absent, train: true))!;
        Assert.That(error.Message, Does.Contain(absent));
    }
}
