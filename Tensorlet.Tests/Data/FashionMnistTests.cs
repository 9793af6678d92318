using Tensorlet.Data;
using static Tensorlet.Tests.Data.DataTestFiles;

namespace Tensorlet.Tests.Data;

public class FashionMnistTests : TempDirectoryFixture
{
    private const int Pixels = 28 * 28;

    /// <summary>Writes all four files: the train split gzipped, the test split raw.</summary>
    private void WriteSet(string directory, byte[] trainLabels, byte[] testLabels)
    {
        Dir.Write(Path.Combine(directory, "train-images-idx3-ubyte.gz"), Gzip(IdxImages(trainLabels.Length, 28, 28)));
        Dir.Write(Path.Combine(directory, "train-labels-idx1-ubyte.gz"), Gzip(IdxLabels(trainLabels)));
        Dir.Write(Path.Combine(directory, "t10k-images-idx3-ubyte"), IdxImages(testLabels.Length, 28, 28, seed: 1));
        Dir.Write(Path.Combine(directory, "t10k-labels-idx1-ubyte"), IdxLabels(testLabels));
    }

    [Test]
    public void LoadsBothSplitsScaledToUnitRange()
    {
        WriteSet("set", [3, 9, 0], [5, 5]);
        string directory = Path.Combine(Dir.Path, "set");

        var train = FashionMnist.Load(directory, train: true);
        Assert.That((train.Count, train.Channels, train.Height, train.Width), Is.EqualTo((3, 1, 28, 28)));
        Assert.That(train.Labels, Is.EqualTo(new[] { 3, 9, 0 }));
        Assert.That(train.Images, Has.Length.EqualTo(3 * Pixels));
        byte[] expected = Pattern(3 * Pixels);
        Assert.That(train.Images.Select((v, i) => v == expected[i] / 255f).All(ok => ok), Is.True);
        Assert.That(train.Images[255], Is.EqualTo(1f));
        Assert.That(train.Images[256], Is.EqualTo(0f));
        Assert.That(train.ClassNames[9], Is.EqualTo("Ankle boot"));

        var test = FashionMnist.Load(directory, train: false);
        Assert.That(test.Count, Is.EqualTo(2));
        Assert.That(test.Image(0)[0], Is.EqualTo(1 / 255f));
    }

    [Test]
    public void RejectsImageLabelCountMismatch()
    {
        Dir.Write("train-images-idx3-ubyte", IdxImages(3, 28, 28));
        string labels = Dir.Write("train-labels-idx1-ubyte", IdxLabels(1, 2));
        var error = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(Dir.Path, train: true))!;
        Assert.That(error.Message, Does.StartWith($"{labels}: at byte offset 4:"));
        Assert.That(error.Message, Does.Contain("label count: expected 3").And.Contain("train-images-idx3-ubyte").And.Contain("found 2"));
    }

    [TestCase("")]
    [TestCase("  ")]
    public void ResolveRejectsAnEmptyPath(string path)
    {
        var error = Assert.Throws<ArgumentException>(() => FashionMnist.Resolve(path))!;
        Assert.That(error.Message, Does.Contain("path is empty").And.Contain("'sample'"));
        Assert.That(error.ParamName, Is.EqualTo("path"));
    }

    [Test]
    public void RejectsLabelAboveNine()
    {
        Dir.Write("t10k-images-idx3-ubyte", IdxImages(3, 28, 28));
        string labels = Dir.Write("t10k-labels-idx1-ubyte", IdxLabels(1, 10, 2));
        var error = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(Dir.Path, train: false))!;
        Assert.That(error.Message, Does.Contain(labels).And.Contain("at byte offset 9").And.Contain("label 1")
            .And.Contain("expected a class in 0..9, found 10"));
    }

    [Test]
    public void RejectsImagesThatAreNot28By28()
    {
        string images = Dir.Write("train-images-idx3-ubyte", IdxImages(1, 32, 32));
        Dir.Write("train-labels-idx1-ubyte", IdxLabels(1));
        var error = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(Dir.Path, train: true))!;
        Assert.That(error.Message, Does.Contain(images).And.Contain("expected 28 × 28, found 32 × 32"));
    }

    [Test]
    public void LoadNamesAMissingFile()
    {
        Dir.Write("train-images-idx3-ubyte.gz", Gzip(IdxImages(1, 28, 28)));
        var error = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load(Dir.Path, train: true))!;
        Assert.That(error.Message, Does.Contain("train-labels-idx1-ubyte(.gz)").And.Contain(Dir.Path));
    }

    [Test]
    public void ResolvePrefersTheGivenDirectory()
    {
        WriteSet("given", [1], [2]);
        string given = Path.Combine(Dir.Path, "given");
        var source = FashionMnist.Resolve(given, defaultDirectory: given + "-nowhere");
        Assert.That(source.Origin, Is.EqualTo(DataOrigin.GivenDirectory));
        Assert.That(source.Directory, Is.EqualTo(given));
        Assert.That(source.Description, Does.Contain(given));
        Assert.That(source.Load(train: false).Labels, Is.EqualTo(new[] { 2 }));
    }

    [Test]
    public void ResolveNamesEveryMissingFileOfTheGivenDirectory()
    {
        Dir.Write("train-images-idx3-ubyte", IdxImages(1, 28, 28));
        var error = Assert.Throws<FileNotFoundException>(() => FashionMnist.Resolve(Dir.Path))!;
        Assert.That(error.Message, Does.Contain("train-labels-idx1-ubyte(.gz)").And.Contain("t10k-images-idx3-ubyte(.gz)")
            .And.Contain("t10k-labels-idx1-ubyte(.gz)").And.Not.Contain("train-images"));
    }

    [Test]
    public void ResolveRejectsAMissingDirectory()
    {
        string absent = Path.Combine(Dir.Path, "absent");
        var error = Assert.Throws<DirectoryNotFoundException>(() => FashionMnist.Resolve(absent))!;
        Assert.That(error.Message, Does.Contain(absent));
    }

    [Test]
    public void ResolveUsesTheInstalledSetWhenComplete()
    {
        WriteSet("installed", [1], [2]);
        string installed = Path.Combine(Dir.Path, "installed");
        var source = FashionMnist.Resolve(null, installed);
        Assert.That(source.Origin, Is.EqualTo(DataOrigin.InstalledDirectory));
        Assert.That(source.Directory, Is.EqualTo(installed));
    }

    [Test]
    public void ResolveFallsBackToTheSample()
    {
        Dir.Write("train-images-idx3-ubyte", IdxImages(1, 28, 28)); // incomplete, so not used
        var source = FashionMnist.Resolve(null, Dir.Path);
        Assert.That(source.Origin, Is.EqualTo(DataOrigin.EmbeddedSample));
        Assert.That(source.IsSample, Is.True);
        Assert.That(source.Directory, Is.Null);
        Assert.That(source.Description, Does.Contain("embedded sample"));
    }

    [Test]
    public void SampleResourcesAreEmbeddedUnderStableNames()
    {
        string[] names = typeof(FashionMnist).Assembly.GetManifestResourceNames();
        Assert.That(names, Is.SupersetOf(new[]
        {
            "Tensorlet.Data.Samples.FashionMnist.train-images-idx3-ubyte.gz",
            "Tensorlet.Data.Samples.FashionMnist.train-labels-idx1-ubyte.gz",
            "Tensorlet.Data.Samples.FashionMnist.t10k-images-idx3-ubyte.gz",
            "Tensorlet.Data.Samples.FashionMnist.t10k-labels-idx1-ubyte.gz",
        }));
        Assert.That(FashionMnist.SampleResourceNames(train: true).Images, Is.EqualTo(names.Single(n => n.EndsWith("train-images-idx3-ubyte.gz"))));
    }

    [TestCase(true, 6000, 600)]
    [TestCase(false, 1000, 100)]
    public void SampleIsClassBalanced(bool train, int count, int perClass)
    {
        var sample = FashionMnist.LoadSample(train);
        Assert.That(sample.Count, Is.EqualTo(count));
        Assert.That(sample.CountPerClass(), Is.All.EqualTo(perClass));
        Assert.That((sample.Channels, sample.Height, sample.Width), Is.EqualTo((1, 28, 28)));
        Assert.That(sample.Images, Has.Length.EqualTo(count * Pixels));
        Assert.That(sample.Images.Min(), Is.EqualTo(0f));
        Assert.That(sample.Images.Max(), Is.EqualTo(1f));
        Assert.That(sample.Name, Does.Contain("embedded sample"));
    }

    [TestCase(true, 60000, 600)]
    [TestCase(false, 10000, 100)]
    public void FullSetLoadsAndContainsTheSample(bool train, int count, int perClass)
    {
        Assume.That(FashionMnist.MissingFiles(FashionMnist.DefaultDirectory), Is.Empty,
            $"the full set is not installed in {FashionMnist.DefaultDirectory} (apt install dataset-fashion-mnist)");
        var full = FashionMnist.Load(FashionMnist.DefaultDirectory, train);
        Assert.That(full.Count, Is.EqualTo(count));
        Assert.That(full.CountPerClass(), Is.All.EqualTo(count / 10));

        // The sample must follow its stated rule: the first perClass images of each class, in file order.
        var taken = new int[10];
        var expected = new List<int>();
        for (int i = 0; i < full.Count; i++)
        {
            if (taken[full.Labels[i]]++ < perClass)
            {
                expected.Add(i);
            }
        }
        var sample = FashionMnist.LoadSample(train);
        Assert.That(sample.Labels, Is.EqualTo(expected.Select(i => full.Labels[i])));
        for (int k = 0; k < expected.Count; k++)
        {
            Assert.That(sample.Image(k).SequenceEqual(full.Image(expected[k])), Is.True, $"sample image {k}");
        }
    }
}
