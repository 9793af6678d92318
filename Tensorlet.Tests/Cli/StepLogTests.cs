using Tensorlet.Cli.Training;

namespace Tensorlet.Tests.Cli;

/// <summary>The per-step loss series behind <c>steps.csv</c>: its smoothing and how it behaves on resume.</summary>
public class StepLogTests
{
    [Test]
    public void SmoothingIsBiasCorrected()
    {
        // A constant series smooths to itself from the first step (an uncorrected EMA would start near 0).
        Assert.That(StepLog.Smooth([2.0, 2.0, 2.0], 0.9), Is.EqualTo(new[] { 2.0, 2.0, 2.0 }).Within(1e-12));
        // By hand, β = 0.9: ema₁ = 0.1·1 = 0.1, corrected 0.1 / (1 − 0.9) = 1; ema₂ = 0.9·0.1 + 0.1·3 = 0.39, corrected 0.39 / (1 − 0.81).
        var s = StepLog.Smooth([1.0, 3.0], 0.9);
        Assert.That(s[0], Is.EqualTo(1.0).Within(1e-12));
        Assert.That(s[1], Is.EqualTo(0.39 / 0.19).Within(1e-12));
        Assert.That(() => StepLog.Smooth([1.0], 1.0), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contain("β"));
    }

    [Test]
    public void ResumingDropsStepsAfterTheCheckpointAndReadsTheRest()
    {
        var dir = Directory.CreateTempSubdirectory("steplog-");
        try
        {
            string path = Path.Combine(dir.FullName, "steps.csv");
            var log = new StepLog(path, resume: false);
            for (int step = 1; step <= 5; step++) log.Add(step, step);
            log.Save();
            // A run resumed from step 3: steps 4 and 5 of the old run are replaced.
            var resumed = new StepLog(path, resume: true);
            resumed.Add(4, 40);
            Assert.That(resumed.Records.Select(r => r.Loss), Is.EqualTo(new[] { 1.0, 2, 3, 40 }));
            Assert.That(resumed.Records[^1].SmoothedLoss, Is.EqualTo(StepLog.Smooth([1.0, 2, 3, 40], StepLog.Beta)[^1]).Within(1e-12));

            File.WriteAllText(path, "epoch,loss\n1,2\n");
            Assert.That(() => new StepLog(path, resume: true).Records,
                        Throws.InstanceOf<InvalidDataException>().With.Message.Contain(path).And.Message.Contain("step,loss,smoothed_loss"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
