using Tensorlet.Tests.IO;
using Tensorlet.IO;

namespace Tensorlet.Tests.Cli;

/// <summary>
/// <c>tensorlet train</c> refuses what it cannot do before it trains — bad options, an unwritable or busy output
/// folder, a missing checkpoint — and stops a diverged run without overwriting the last good checkpoint.
/// </summary>
public class TrainSafetyTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);
    private string _root = null!;

    [SetUp]
    public void SetUp() => _root = Directory.CreateTempSubdirectory("tensorlet-safety-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    private static (int Code, string Output) Train(params string[] args) =>
        CliProcess.Run(Limit, ["train", "--data", "sample", "--model", "mlp", "--threads", "2", "--batch", "500", .. args]);

    [Test]
    public void ADivergedRunStopsAtTheStepThatWentNaNAndWritesNoCheckpoint()
    {
        string dir = Path.Combine(_root, "run");
        var r = Train("--lr", "1e30", "--epochs", "2", "--out", dir);
        CliAssert.OneLineError(r, "diverged at epoch 1, step 2", "loss is NaN", "last finite loss was", "No checkpoint was written");
        Assert.That(File.Exists(Path.Combine(dir, "checkpoint.safetensors")), Is.False);
        Assert.That(r.Output, Does.Not.Contain("test accuracy"));
    }

    [Test]
    public void ADivergenceInALaterEpochKeepsTheLastGoodCheckpoint()
    {
        string dir = Path.Combine(_root, "run");
        string checkpoint = Path.Combine(dir, "checkpoint.safetensors");
        Expect(Train("--schedule", "none", "--epochs", "1", "--out", dir));
        // The same run continued with a rate that makes it diverge in epoch 2.
        CheckpointFiles.EditMetadata(checkpoint, meta => { meta["optimizer.lr"] = "1E+30"; meta["user.lr"] = "1E+30"; });
        var good = File.ReadAllBytes(checkpoint);

        var r = Train("--epochs", "2", "--out", dir, "--resume", checkpoint);
        CliAssert.OneLineError(r, "diverged at epoch 2, step", "last finite loss was", "is kept");
        Assert.That(File.ReadAllBytes(checkpoint), Is.EqualTo(good), "the last good checkpoint is not overwritten");
    }

    [TestCase("--momentum", "5", "--momentum must be in [0, 1)")]
    [TestCase("--momentum", "nan", "--momentum must be in [0, 1)")]
    [TestCase("--momentum", "-0.1", "--momentum must be in [0, 1)")]
    [TestCase("--weight-decay", "nan", "--weight-decay must be")]
    [TestCase("--weight-decay", "-1", "--weight-decay must be")]
    [TestCase("--lr", "0", "--lr must be")]
    [TestCase("--lr", "nan", "--lr must be")]
    [TestCase("--lr", "Infinity", "--lr must be")]
    public void AnOutOfRangeOptionIsRefusedBeforeAnythingIsCreated(string option, string value, string message)
    {
        string dir = Path.Combine(_root, "run");
        CliAssert.OneLineError(Train(option, value, "--epochs", "1", "--out", dir), message);
        Assert.That(Directory.Exists(dir), Is.False);
    }

    [Test]
    public void AnUnwritableOutFolderIsRefusedBeforeTraining()
    {
        string file = Path.Combine(_root, "a-file");
        File.WriteAllText(file, "not a folder");
        string dir = Path.Combine(file, "run");
        var r = Train("--epochs", "1", "--out", dir);
        CliAssert.OneLineError(r, $"--out {dir}: the folder cannot be written");
        Assert.That(r.Output, Does.Not.Contain("epoch 1:"), "refused before the first epoch");
    }

    [Test]
    public void AFolderHeldByAnotherRunIsRefused()
    {
        string dir = Path.Combine(_root, "run");
        Directory.CreateDirectory(dir);
        using (new FileStream(Path.Combine(dir, ".tensorlet.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var r = Train("--epochs", "1", "--out", dir);
            CliAssert.OneLineError(r, "another tensorlet run is using this folder");
            Assert.That(File.Exists(Path.Combine(dir, "log.csv")), Is.False);
        }
        Expect(Train("--epochs", "1", "--out", dir));
    }

    [Test]
    public void AMissingResumeFileLeavesNoFolderBehind()
    {
        string dir = Path.Combine(_root, "run");
        string missing = Path.Combine(_root, "nothing.safetensors");
        CliAssert.OneLineError(Train("--epochs", "1", "--out", dir, "--resume", missing), $"--resume {missing}", "does not exist");
        Assert.That(Directory.Exists(dir), Is.False);
    }

    private static void Expect((int Code, string Output) r) => Assert.That(r.Code, Is.EqualTo(0), r.Output);
}
