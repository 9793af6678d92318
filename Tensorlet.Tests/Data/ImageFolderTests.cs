using Tensorlet.Data;
using Tensorlet.Vision;
using static Tensorlet.Tests.Data.ImageTestFiles;

namespace Tensorlet.Tests.Data;

/// <summary>torchvision's ImageFolder layout: what loads, and every wrong layout refused naming the file or folder.</summary>
public class ImageFolderTests : TempDirectoryFixture
{
    private void WriteValidFolder()
    {
        foreach (var split in new[] { "train", "test" })
        {
            Dir.Write($"{split}/zebra/a.png", SolidPng(10, 6, 255, 255, 255));
            Dir.Write($"{split}/cat/b.PNG", SolidPng(6, 10, 200, 0, 0));
            Dir.Write($"{split}/cat/c.jpg", Jpeg(Enumerable.Repeat((byte)128, 8 * 8).ToArray(), 8, 8, 1));
            Dir.Write($"{split}/cat/.DS_Store", [1, 2, 3]);
        }
    }

    [Test]
    public void LoadsClassesInSortedOrderResizedToTheInput()
    {
        WriteValidFolder();
        Assert.That(ImageFolder.IsImageFolder(Dir.Path));
        var train = ImageFolder.Load(Dir.Path, train: true, channels: 3, height: 4, width: 4);
        Assert.That(train.ClassNames, Is.EqualTo(new[] { "cat", "zebra" }));
        Assert.That(train.Labels, Is.EqualTo(new[] { 0, 0, 1 }), "b.PNG, c.jpg (cat), a.png (zebra); hidden files skipped");
        Assert.That((train.Channels, train.Height, train.Width), Is.EqualTo((3, 4, 4)));
        Assert.That(train.Image(0)[..16].ToArray(), Is.All.EqualTo(200 / 255f).Within(1e-6f), "red plane of the red picture");
        Assert.That(train.Image(0)[16..].ToArray(), Is.All.EqualTo(0f));
        Assert.That(train.Image(1).ToArray(), Is.All.EqualTo(128 / 255f).Within(3 / 255f), "the grey JPEG repeated into R, G and B");
        Assert.That(train.Image(2).ToArray(), Is.All.EqualTo(1f).Within(1e-6f));

        var grey = ImageFolder.Load(Dir.Path, train: false, channels: 1, height: 5, width: 3);
        Assert.That(grey.Image(0).ToArray(), Is.All.EqualTo(0.299f * 200 / 255).Within(1e-5f), "red as 601 luma");
    }

    [Test]
    public void MissingSplitOrClassFoldersAreNamed()
    {
        Dir.Write("train/cat/a.png", SolidPng(2, 2, 0, 0, 0));
        var error = Assert.Throws<DirectoryNotFoundException>(() => ImageFolder.Load(Dir.Path, true, 3, 4, 4))!;
        Assert.That(error.Message, Does.Contain("no 'test' subfolder"));
        Directory.CreateDirectory(Path.Combine(Dir.Path, "test"));
        var none = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(Dir.Path, true, 3, 4, 4))!;
        Assert.That(none.Message, Does.Contain(Path.Combine(Dir.Path, "test")).And.Contain("no class folders"));
    }

    [Test]
    public void PicturesOutsideClassFoldersAreRefused()
    {
        WriteValidFolder();
        string loose = Dir.Write("test/stray.png", SolidPng(2, 2, 0, 0, 0));
        var error = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(Dir.Path, true, 3, 4, 4))!;
        Assert.That(error.Message, Does.StartWith(loose).And.Contain("one subfolder per class"));
    }

    [Test]
    public void AnEmptyClassIsNamed()
    {
        WriteValidFolder();
        Directory.CreateDirectory(Path.Combine(Dir.Path, "train", "dog"));
        Directory.CreateDirectory(Path.Combine(Dir.Path, "test", "dog"));
        var error = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(Dir.Path, true, 3, 4, 4))!;
        Assert.That(error.Message, Does.Contain("'dog' is empty").And.Contain(Path.Combine(Dir.Path, "train", "dog")));
    }

    [Test]
    public void ANonImageFileIsNamed()
    {
        WriteValidFolder();
        string notes = Dir.Write("train/cat/notes.txt", "not a picture"u8.ToArray());
        var error = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(Dir.Path, true, 3, 4, 4))!;
        Assert.That(error.Message, Does.StartWith(notes).And.Contain("not a picture"));
    }

    [Test]
    public void ATruncatedOrFakePngIsNamed()
    {
        WriteValidFolder();
        var png = Png(Noise(30 * 30 * 3, 4), 30, 30, 3);
        string truncated = Dir.Write("test/zebra/cut.png", png[..(png.Length * 2 / 3)]);
        var error = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(Dir.Path, false, 3, 4, 4))!;
        Assert.That(error.Message, Does.StartWith(truncated).And.Contain("corrupt or truncated"));
        File.Delete(truncated);
        string fake = Dir.Write("test/zebra/fake.png", "<html>not found</html>"u8.ToArray());
        error = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(Dir.Path, false, 3, 4, 4))!;
        Assert.That(error.Message, Does.StartWith(fake).And.Contain("not a PNG"));
    }

    [Test]
    public void TrainAndTestMustHaveTheSameClasses()
    {
        WriteValidFolder();
        Dir.Write("train/dog/d.png", SolidPng(2, 2, 0, 0, 0));
        Dir.Write("test/bird/d.png", SolidPng(2, 2, 0, 0, 0));
        var error = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(Dir.Path, false, 3, 4, 4))!;
        Assert.That(error.Message, Does.Contain("only in train: dog").And.Contain("only in test: bird"));
    }

    [Test]
    public void ChannelStatisticsAreThePerChannelMeanAndStd()
    {
        var images = ImageTestFiles.Noise(5 * 2 * 3 * 4, 9).Select(b => b / 255f).ToArray();
        var data = new ImageDataset("noise", images, [0, 0, 0, 0, 0], 2, 3, 4, ["only"]);
        var (mean, std) = ChannelStatistics.Compute(data);
        for (int c = 0; c < 2; c++)
        {
            var values = Enumerable.Range(0, 5).SelectMany(i => images.Skip(i * 24 + c * 12).Take(12)).Select(v => (double)v).ToList();
            double m = values.Average();
            Assert.That(mean[c], Is.EqualTo(m).Within(1e-6));
            Assert.That(std[c], Is.EqualTo(Math.Sqrt(values.Average(v => (v - m) * (v - m)))).Within(1e-6));
        }
        var flat = new ImageDataset("flat", Enumerable.Repeat(0.5f, 12).ToArray(), [0], 1, 3, 4, ["only"]);
        Assert.That(ChannelStatistics.Compute(flat).Std, Is.EqualTo(new[] { 1f }), "a constant channel is shifted, not divided by zero");
    }

    [Test]
    public void ExtensionsDecideWhatCountsAsAPicture()
    {
        Assert.That(ImageDecoder.IsImageFile("a/b.JPEG") && ImageDecoder.IsImageFile("x.png") && !ImageDecoder.IsImageFile("x.txt"));
    }
}
