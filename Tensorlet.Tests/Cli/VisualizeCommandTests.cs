using Tensorlet.Cli.Training;

namespace Tensorlet.Tests.Cli;

/// <summary>
/// <c>tensorlet visualize</c>, <c>pair-filters --plot</c> and the per-step log of <c>train</c>, on checkpoints made once
/// for the fixture; every refusal (a model of the wrong kind, an image index out of range, an unreadable file) is one line.
/// </summary>
public class VisualizeCommandTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);
    private TeachingCheckpoints _runs = null!;

    [OneTimeSetUp]
    public void TrainOnce() => _runs = new TeachingCheckpoints();

    [OneTimeTearDown]
    public void Clean() => _runs.Dispose();

    [Test]
    public void FiltersOfTheCnnAreDrawn()
    {
        string png = _runs.Output("filters.png");
        var output = Expect(0, "visualize", "filters", "--checkpoint", _runs.Checkpoint("cnn"), "--out", png);
        Assert.That(output, Does.Contain("32 filters of features.0.0 [32, 1, 3, 3]"));
        TeachingCheckpoints.AssertPng(png);
    }

    [Test]
    public void AnMlpHasNoFiltersToDraw()
    {
        var output = Expect(1, "visualize", "filters", "--checkpoint", _runs.Checkpoint("mlp"), "--out", _runs.Output("none.png"));
        Assert.That(output, Does.Contain("holds a mlp model, which has no convolution"));
        Assert.That(File.Exists(_runs.Output("none.png")), Is.False);
    }

    [Test]
    public void ActivationsOfEachStageAreDrawn()
    {
        string png = _runs.Output("activations.png");
        var output = Expect(0, "visualize", "activations", "--checkpoint", _runs.Checkpoint("cnn"), "--image", "5", "--data", "sample", "--out", png);
        Assert.That(output, Does.Contain("features.0: 32 maps of 28×28").And.Contain("features.2: 64 maps of 14×14")
                                .And.Contain("features.4: 128 maps of 7×7"));
        TeachingCheckpoints.AssertPng(png);
        output = Expect(0, "visualize", "activations", "--checkpoint", _runs.Checkpoint(TeachingCheckpoints.CliqueModel), "--image", "5",
                        "--data", "sample", "--out", _runs.Output("clique-activations.png"));
        Assert.That(output, Does.Contain("blocks.0: 32 maps of 28×28").And.Contain("blocks.2: 32 maps of 7×7"));
    }

    [Test]
    public void ActivationsOfAnMlpAreRefused()
    {
        var output = Expect(1, "visualize", "activations", "--checkpoint", _runs.Checkpoint("mlp"), "--image", "0", "--data", "sample",
                            "--out", _runs.Output("none.png"));
        Assert.That(output, Does.Contain("holds a mlp model, which computes no 4-D feature maps"));
    }

    [Test]
    public void CliqueStagesAreDrawnSideBySide()
    {
        string png = _runs.Output("clique.png");
        var output = Expect(0, "visualize", "clique-stages", "--checkpoint", _runs.Checkpoint(TeachingCheckpoints.CliqueModel),
                            "--image", "7", "--data", "sample", "--out", png);
        Assert.That(output, Does.Contain("block 1: 32 channels of 28×28").And.Contain("block 3: 32 channels of 7×7"));
        Assert.That(output, Does.Match(@"block 1: .* mean \|Stage-II − Stage-I\| = [0-9.]+"));
        TeachingCheckpoints.AssertPng(png);
    }

    [Test]
    public void CliqueStagesOfAnotherModelAreRefused()
    {
        var output = Expect(1, "visualize", "clique-stages", "--checkpoint", _runs.Checkpoint("cnn"), "--image", "0", "--data", "sample",
                            "--out", _runs.Output("none.png"));
        Assert.That(output, Does.Contain("holds a cnn model, not a CliqueNet"));
    }

    [TestCase("1000")]
    [TestCase("-1")]
    public void AnImageIndexOutOfRangeNamesTheRange(string index)
    {
        var output = Expect(1, "visualize", "clique-stages", "--checkpoint", _runs.Checkpoint(TeachingCheckpoints.CliqueModel),
                            "--image", index, "--data", "sample", "--out", _runs.Output("none.png"));
        Assert.That(output, Does.Contain($"--image {index} is out of range").And.Contain("0 to 999"));
        output = Expect(1, "visualize", "activations", "--checkpoint", _runs.Checkpoint("cnn"), "--image", index, "--data", "sample",
                        "--out", _runs.Output("none.png"));
        Assert.That(output, Does.Contain($"--image {index} is out of range").And.Contain("0 to 999"));
    }

    [Test]
    public void AnUnreadableOrMissingCheckpointIsOneLine()
    {
        string garbage = _runs.Output("garbage.safetensors");
        File.WriteAllText(garbage, "this is not a checkpoint");
        var output = Expect(1, "visualize", "filters", "--checkpoint", garbage, "--out", _runs.Output("none.png"));
        Assert.That(output, Does.Contain("garbage.safetensors"));
        output = Expect(1, "visualize", "filters", "--checkpoint", _runs.Output("missing.safetensors"));
        Assert.That(output, Does.Contain("missing.safetensors").And.Contain("does not exist"));
    }

    [Test]
    public void PairFiltersPlotsTheHistogram()
    {
        string png = _runs.Output("pairs.png");
        var output = Expect(0, "pair-filters", "--checkpoint", _runs.Checkpoint("cnn"), "--plot", png);
        Assert.That(output, Does.Contain("features.0.0.weight"));
        TeachingCheckpoints.AssertPng(png);
    }

    [Test]
    public void OneEpochLogsEveryStepWithItsMovingAverage()
    {
        var lines = File.ReadAllLines(Path.Combine(_runs.RunDirectory("mlp"), "steps.csv"));
        Assert.That(lines[0], Is.EqualTo("step,loss,smoothed_loss"));
        Assert.That(lines, Has.Length.EqualTo(1 + 60), "6,000 sample images in batches of 100");
        var rows = lines.Skip(1).Select(l => l.Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray()).ToList();
        Assert.That(rows.Select(r => (int)r[0]), Is.EqualTo(Enumerable.Range(1, 60)));
        // Bias-corrected EMA, recomputed here from the raw column.
        double ema = 0, weight = 1;
        foreach (var r in rows)
        {
            ema = StepLog.Beta * ema + (1 - StepLog.Beta) * r[1];
            weight *= StepLog.Beta;
            Assert.That(r[2], Is.EqualTo(ema / (1 - weight)).Within(1e-6), $"step {r[0]}");
        }
        Assert.That(rows[^1][2], Is.LessThan(rows[0][1]), "the smoothed loss fell during the epoch");
        TeachingCheckpoints.AssertPng(Path.Combine(_runs.RunDirectory("mlp"), "curves.png"));
    }

    private static string Expect(int code, params string[] args)
    {
        var (exit, output) = CliProcess.Run(Limit, args);
        Assert.That(exit, Is.EqualTo(code), output);
        if (code != 0) Assert.That(output, Does.Not.Contain("   at "), "no stack trace");
        return output;
    }
}
