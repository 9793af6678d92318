using System.Diagnostics;
using System.Globalization;

namespace Tensorlet.Tests.Cli;

/// <summary>
/// Every architecture trains from the command line: <c>tensorlet train --model NAME --data sample</c> on a small
/// configuration of each family (see docs/models.md). In the normal run each trains for two epochs and must end above
/// 60% test accuracy on the 1,000 test images of the embedded Fashion-MNIST sample (chance is 10%; the eight land
/// between 64% and 81%), which keeps the eight runs near two minutes; the nightly run (<c>TENSORLET_NIGHTLY=1</c>,
/// tools/nightly.sh) trains each for its documented number of epochs and requires above 80%. Seed, epochs, batch,
/// learning rate and threads are fixed, so each run is deterministic on a given machine; the numbers are those of the
/// tables in docs/models.md.
/// </summary>
[Category("Training")]
public class ArchitectureTrainingTests
{
    /// <summary>Well above the 20–120 s a full (nightly) run takes on two quiet cores, so a busy machine does not fail the test.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);

    private static bool Nightly => Environment.GetEnvironmentVariable("TENSORLET_NIGHTLY") == "1";

    /// <summary>The normal run's epochs and bar: enough steps to prove learning, far above chance.</summary>
    private const int QuickEpochs = 2;
    private const double QuickRequired = 0.60;

    /// <summary>The nightly run's bar, after each configuration's full epochs.</summary>
    private const double FullRequired = 0.80;

    [TestCase("vgg11-cifar-w16", 4, "sgd", 0.05f)]
    [TestCase("nin-cifar10-w48-nodrop", 8, "adam", 0.001f)]
    [TestCase("resnet8", 4, "sgd", 0.05f)]
    [TestCase("resnext11-4x8d-w16", 3, "sgd", 0.1f)]
    [TestCase("densenet-bc16-k12", 3, "sgd", 0.05f)]
    [TestCase("se-resnet8", 4, "sgd", 0.05f)]
    [TestCase("crelu-half-w24-nodrop", 4, "sgd", 0.05f)]
    [TestCase("cliquenet-t6-k16-w32-nodrop", 5, "sgd", 0.05f)]
    public void SmallConfigurationLearnsOnTheSample(string model, int fullEpochs, string optimizer, float lr)
    {
        int epochs = Nightly ? fullEpochs : QuickEpochs;
        double required = Nightly ? FullRequired : QuickRequired;
        var dir = Path.Combine(Path.GetTempPath(), "tensorlet-arch-" + Guid.NewGuid().ToString("N"));
        try
        {
            var clock = Stopwatch.StartNew();
            var (code, output) = CliProcess.Run(Limit, "train", "--model", model, "--data", "sample", "--epochs", epochs.ToString(),
                "--batch", "32", "--optimizer", optimizer, "--lr", lr.ToString(CultureInfo.InvariantCulture), "--seed", "1",
                "--threads", "2", "--out", dir);
            Assert.That(code, Is.EqualTo(0), output);

            var rows = File.ReadAllLines(Path.Combine(dir, "log.csv")).Skip(1).Select(l => l.Split(',')).ToList();
            Assert.That(rows, Has.Count.EqualTo(epochs), "one log row per epoch");
            double accuracy = double.Parse(rows[^1][4], CultureInfo.InvariantCulture);
            TestContext.Out.WriteLine($"{model}: test accuracy {accuracy:P1} after {epochs} epochs in {clock.Elapsed.TotalSeconds:F1} s");
            Assert.That(output, Does.Contain("test accuracy"));
            Assert.That(accuracy, Is.GreaterThan(required), $"{model} after {epochs} epochs");
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
