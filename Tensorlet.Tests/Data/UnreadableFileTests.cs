using Tensorlet.Data;
using Tensorlet.IO;
using Tensorlet.Models;
using static Tensorlet.Tests.Data.DataTestFiles;

namespace Tensorlet.Tests.Data;

/// <summary>
/// A file that exists but cannot be read must fail as one <see cref="IOException"/> naming it. Tests run as root, where
/// permissions do not stop a read, so a directory stands where the file should be: .NET on Linux reports it as an
/// <see cref="UnauthorizedAccessException"/>, the same type a real permission error has.
/// </summary>
public class UnreadableFileTests : TempDirectoryFixture
{
    private string DirectoryNamed(string name)
    {
        string path = Path.Combine(Dir.Path, name);
        Directory.CreateDirectory(path);
        return path;
    }

    private static void AssertUnreadable(string path, TestDelegate read)
    {
        var error = Assert.Throws<IOException>(read)!;
        Assert.That(error.Message, Does.StartWith($"{path}: cannot read").And.Contain("a directory"));
    }

    [Test]
    public void IdxFiles()
    {
        string path = DirectoryNamed("train-images-idx3-ubyte");
        AssertUnreadable(path, () => IdxReader.ReadImages(path));
        AssertUnreadable(path, () => IdxReader.ReadLabels(path, classCount: 10));
    }

    [Test]
    public void CifarBatches()
    {
        string good = Dir.Write("good.bin", new byte[3073]);
        string path = DirectoryNamed("data_batch_2.bin");
        AssertUnreadable(path, () => Cifar10.Read("x", [good, path]));
    }

    [Test]
    public void SafeTensorsFiles()
    {
        string path = DirectoryNamed("weights.safetensors");
        AssertUnreadable(path, () => SafeTensors.Load(path));
        AssertUnreadable(path, () => SafeTensors.ReadHeader(path));
    }

    [Test]
    public void Checkpoints()
    {
        string path = DirectoryNamed("checkpoint.safetensors");
        var model = new Mlp(4, [3], 2, new Generator(1));
        AssertUnreadable(path, () => Checkpoint.Load(path, model));
    }

    [Test]
    public void AnEndlessDeviceIsReadAsWhatItReportsNotForever()
    {
        // /dev/zero reports a length of 0: the readers take that length and never read on into its endless zeros.
        const string device = "/dev/zero";
        foreach (TestDelegate read in new TestDelegate[]
                 { () => IdxReader.ReadImages(device), () => SafeTensors.Load(device), () => Cifar10.Read("x", [device]) })
        {
            var error = Assert.Throws<InvalidDataException>(read)!;
            Assert.That(error.Message, Does.StartWith($"{device}: "));
        }
    }

    [Test]
    public void MissingFilesStayFileNotFound()
    {
        string path = Path.Combine(Dir.Path, "nowhere", "weights.safetensors");
        var error = Assert.Throws<FileNotFoundException>(() => SafeTensors.Load(path))!;
        Assert.That(error.FileName, Is.EqualTo(path));
        Assert.That(error.Message, Does.StartWith(path));
    }
}
