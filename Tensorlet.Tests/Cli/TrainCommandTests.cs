using Tensorlet.IO;

namespace Tensorlet.Tests.Cli;

/// <summary>End-to-end runs of <c>tensorlet train</c> and <c>tensorlet eval</c> on the embedded sample.</summary>
public class TrainCommandTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    [Test]
    public void ResumedRunEndsBitIdenticalToAStraightRun()
    {
        var root = Path.Combine(Path.GetTempPath(), "tensorlet-cli-" + Guid.NewGuid().ToString("N"));
        try
        {
            string[] common = ["train", "--data", "sample", "--batch", "500", "--schedule", "none", "--seed", "5", "--threads", "2"];
            var straight = Path.Combine(root, "straight");
            var resumed = Path.Combine(root, "resumed");
            Expect(CliProcess.Run(Limit, [.. common, "--epochs", "2", "--out", straight]));
            Expect(CliProcess.Run(Limit, [.. common, "--epochs", "1", "--out", resumed]));
            var (code, output) = CliProcess.Run(Limit, [.. common, "--epochs", "2", "--out", resumed, "--resume", Path.Combine(resumed, "checkpoint.safetensors")]);
            Assert.That(code, Is.EqualTo(0), output);
            Assert.That(output, Does.Contain("resume"));

            var a = SafeTensors.Load(Path.Combine(straight, "checkpoint.safetensors"));
            var b = SafeTensors.Load(Path.Combine(resumed, "checkpoint.safetensors"));
            Assert.That(b.Keys, Is.EquivalentTo(a.Keys));
            foreach (var (name, t) in a)
                Assert.That(b[name].ToArray().Select(BitConverter.SingleToInt32Bits), Is.EqualTo(t.ToArray().Select(BitConverter.SingleToInt32Bits)), name);
            var log = File.ReadAllLines(Path.Combine(resumed, "log.csv"));
            Assert.That(log, Has.Length.EqualTo(3), "header + 2 epochs");
            Assert.That(File.Exists(Path.Combine(resumed, "curves.png")));

            var (evalCode, evalOut) = CliProcess.Run(Limit, "eval", "--checkpoint", Path.Combine(resumed, "checkpoint.safetensors"), "--data", "sample");
            Assert.That(evalCode, Is.EqualTo(0), evalOut);
            Assert.That(evalOut, Does.Contain("accuracy"));
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    [Test]
    public void BadOptionsGiveOneClearLine()
    {
        var (code, output) = CliProcess.Run(Limit, "train", "--data", "/nonexistent/fashion", "--epochs", "1");
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Contain("/nonexistent/fashion").And.Not.Contain("   at "));
        (code, output) = CliProcess.Run(Limit, "train", "--data", "sample", "--model", "nosuchnet");
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Contain("nosuchnet").And.Contain("mlp"));
    }

    private static void Expect((int Code, string Output) r) => Assert.That(r.Code, Is.EqualTo(0), r.Output);
}
