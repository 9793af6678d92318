using Tensorlet.Tests.IO;
using Tensorlet.IO;

namespace Tensorlet.Tests.Cli;

/// <summary>
/// <c>--resume</c> continues the run the checkpoint holds: options left out come from the checkpoint, options that
/// differ are refused with both values, a finished run says so and writes nothing, and crafted numbers are refused
/// with the file and the entry named. <c>eval</c> verifies a checkpoint before it reads the model's description.
/// </summary>
public class ResumeOptionsTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);
    private string _root = null!, _checkpoint = null!;

    /// <summary>One finished one-epoch run with a cosine schedule, shared by the tests (each works on a copy).</summary>
    [OneTimeSetUp]
    public void TrainOnce()
    {
        _root = Directory.CreateTempSubdirectory("tensorlet-resume-").FullName;
        var dir = Path.Combine(_root, "base");
        var (code, output) = Train("--batch", "500", "--seed", "3", "--schedule", "cosine", "--epochs", "1", "--out", dir);
        Assert.That(code, Is.EqualTo(0), output);
        _checkpoint = Path.Combine(dir, "checkpoint.safetensors");
    }

    [OneTimeTearDown]
    public void CleanUp() => Directory.Delete(_root, recursive: true);

    private static (int Code, string Output) Train(params string[] args) =>
        CliProcess.Run(Limit, ["train", "--data", "sample", "--model", "mlp", "--threads", "2", .. args]);

    /// <summary>A private copy of the base checkpoint, optionally with edited (and re-signed) metadata.</summary>
    private string Copy(Action<Dictionary<string, string>>? edit = null)
    {
        string path = Path.Combine(_root, Guid.NewGuid().ToString("N") + ".safetensors");
        File.Copy(_checkpoint, path);
        if (edit != null) CheckpointFiles.EditMetadata(path, edit);
        return path;
    }

    [TestCase("--lr", "0.5", "0.05")]
    [TestCase("--seed", "7", "3")]
    [TestCase("--batch", "32", "500")]
    [TestCase("--schedule", "none", "cosine")]
    [TestCase("--optimizer", "adam", "sgd")]
    [TestCase("--epochs", "3", "1")]
    public void AConflictingOptionIsRefusedNamingBothValues(string option, string mine, string recorded)
    {
        string dir = Path.Combine(_root, Guid.NewGuid().ToString("N"));
        var r = Train("--resume", Copy(), "--out", dir, option, mine);
        CliAssert.OneLineError(r, $"{option} {mine} (the checkpoint's run used {recorded})");
        Assert.That(Directory.Exists(dir), Is.False);
    }

    [Test]
    public void AFinishedRunSaysSoAndWritesNothing()
    {
        string dir = Path.Combine(_root, Guid.NewGuid().ToString("N"));
        var (code, output) = CliProcess.Run(Limit, "train", "--data", "sample", "--resume", Copy(), "--out", dir);
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("the run is complete").And.Not.Contain("NaN"));
        Assert.That(Directory.Exists(dir), Is.False);
    }

    [Test]
    public void OptionsLeftOutComeFromTheCheckpoint()
    {
        string dir = Path.Combine(_root, Guid.NewGuid().ToString("N"));
        // The same run, planned for two epochs: resuming with no options trains epoch 2 with the recorded ones.
        string path = Copy(meta => meta["user.epochs"] = "2");
        var (code, output) = CliProcess.Run(Limit, "train", "--data", "sample", "--threads", "2", "--resume", path, "--out", dir);
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("batch 500").And.Contain("seed 3").And.Contain("cosine schedule").And.Contain("epoch 2:"));
    }

    [TestCase("epoch", "-5")]
    [TestCase("epoch", "2147483648")]
    [TestCase("schedule.last_epoch", "2147483648")]
    [TestCase("schedule.last_epoch", "-1")]
    public void ACraftedNumberIsRefusedNamingTheFileAndEntry(string key, string value)
    {
        string path = Copy(meta => { meta[key] = value; meta["user.epochs"] = "3"; });
        string dir = Path.Combine(_root, Guid.NewGuid().ToString("N"));
        CliAssert.OneLineError(Train("--resume", path, "--out", dir), path, $"'{key}'");
        Assert.That(Directory.Exists(dir), Is.False);
    }

    [Test]
    public void EvalVerifiesTheFileBeforeItReadsTheModelDescription()
    {
        // A byte of the description flipped without re-signing: reported as corruption, not as a bad number.
        string flipped = Copy();
        var bytes = File.ReadAllBytes(flipped);
        int at = System.Text.Encoding.ASCII.GetString(bytes).IndexOf("\"user.channels\":\"1\"", StringComparison.Ordinal);
        Assert.That(at, Is.GreaterThan(0));
        bytes[at + "\"user.channels\":\"".Length] = (byte)'x';
        File.WriteAllBytes(flipped, bytes);
        CliAssert.OneLineError(CliProcess.Run(Limit, "eval", "--checkpoint", flipped, "--data", "sample"), flipped, "checksum");

        // A re-signed absurd value: refused by range, naming the entry.
        string huge = Copy(meta => meta["user.channels"] = "99999999999");
        CliAssert.OneLineError(CliProcess.Run(Limit, "eval", "--checkpoint", huge, "--data", "sample"), huge, "'user.channels'");
    }
}
