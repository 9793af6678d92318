using System.Diagnostics;
using Tensorlet.IO;
using Tensorlet.Models;

namespace Tensorlet.Tests.Cli;

/// <summary>
/// Kills a real training process while it is writing its checkpoint (the moment its temporary file appears) and
/// checks that the checkpoint at the final path is always complete and loadable.
/// </summary>
public class CheckpointKillTests
{
    [Test]
    public void KillingTheProcessDuringASaveNeverLeavesABrokenCheckpoint()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tensorlet-kill-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var checkpoint = Path.Combine(dir, "checkpoint.safetensors");
        int killedMidWrite = 0;
        try
        {
            for (int attempt = 0; attempt < 4; attempt++)
            {
                var args = new List<string> { "train", "--model", "mlp", "--data", "sample", "--epochs", "100000", "--batch", "1000",
                                              "--threads", "1", "--out", dir, "--schedule", "none" };
                bool hadCheckpoint = File.Exists(checkpoint);
                if (hadCheckpoint) args.AddRange(["--resume", checkpoint]);
                using var p = CliProcess.Start(args.ToArray());
                var clock = Stopwatch.StartNew();
                bool sawTemp = false;
                // Let the first run write one checkpoint, so every kill has a previous file to lose.
                while (!hadCheckpoint && !File.Exists(checkpoint) && clock.Elapsed < TimeSpan.FromSeconds(60) && !p.HasExited)
                    Thread.Sleep(5);
                // Wait for a save to begin, then kill at once.
                while (clock.Elapsed < TimeSpan.FromSeconds(60) && !p.HasExited)
                {
                    if (Directory.EnumerateFiles(dir, ".checkpoint.safetensors.*.tmp").Any()) { sawTemp = true; break; }
                    Thread.SpinWait(200);
                }
                Assert.That(p.HasExited, Is.False, "the training process ended on its own");
                p.Kill(entireProcessTree: true);
                p.WaitForExit();
                if (sawTemp) killedMidWrite++;

                Assert.That(File.Exists(checkpoint), Is.True, "the checkpoint is gone after the kill");
                using var model = new Mlp(784, [256], 10);
                var state = Checkpoint.Load(checkpoint, model); // throws on any damage
                Assert.That(state.Epoch, Is.GreaterThanOrEqualTo(1));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
        TestContext.Out.WriteLine($"killed while a temporary checkpoint file existed: {killedMidWrite} of 4");
        Assert.That(killedMidWrite, Is.GreaterThan(0), "never managed to kill the process during a save");
    }
}
