namespace Tensorlet.Tests.Examples;

/// <summary>
/// Runs every program in <c>examples/</c> as a learner would and checks that it exits 0 and prints what it promises:
/// a few key lines each, with thresholds on the numbers rather than the whole output.
/// </summary>
[TestFixture, NonParallelizable]
public class ExamplesTests
{
    private static ExampleRun Ok(string prefix)
    {
        var run = ExampleRunner.Run(prefix);
        Assert.That(run.ExitCode, Is.EqualTo(0), $"{run.Name} exited with {run.ExitCode}:\n{run.Output}");
        return run;
    }

    [Test]
    public void EveryExampleHasATest()
    {
        var tested = new[] { "01", "02", "03", "04", "05", "06", "07", "08" };
        Assert.That(ExampleRunner.Names().Select(n => n[..2]), Is.EquivalentTo(tested));
    }

    [Test]
    public void TensorsViewsBroadcasting()
    {
        var run = Ok("01");
        Assert.That(run.Output, Does.Contain("a[:, ::2]      shape [3, 2]     strides [4, 2]"));
        // The write through the strided view shows up in the base.
        Assert.That(run.Output, Does.Contain("[[-1.,  1., -1.,  3.],"));
        Assert.That(run.Output, Does.Contain("row.expand     shape [3, 4]     strides [0, 1]"));
        Assert.That(run.Number(@"^sum\[2, 3\] = (\S+) \(expected 24\)"), Is.EqualTo(24));
    }

    [Test]
    public void AutogradByHand()
    {
        var run = Ok("02");
        Assert.That(run.Output, Does.Contain("TanhBackward []\n  AddBackward []"));
        Assert.That(run.Output, Does.Contain("        leaf x1 []"));
        Assert.That(run.Number(@"^max \|by hand − Backward\(\)\| = (\S+)$"), Is.LessThan(1e-5));
        Assert.That(run.Number(@"^x1 +(\S+) "), Is.EqualTo(-1.5).Within(1e-3), "dO/dx1 = w1·(1 − o²)");
        Assert.That(run.Output, Does.Contain("by hand 2a + 1 = 7, by Backward() = 7"));
    }

    [Test]
    public void TwoLayerNetBackward()
    {
        var run = Ok("03");
        var diffs = run.Numbers(@"^max \|hand − autograd\| for \w+ = (\S+)$");
        Assert.That(diffs, Has.Length.EqualTo(4));
        Assert.That(diffs, Has.All.LessThan(1e-5));
        Assert.That(run.Number(@"vs finite differences: max abs error (\S+) "), Is.LessThan(1e-2));
        Assert.That(run.Output, Does.Contain("autograd backward, GradCheck: passed"));
    }

    [Test]
    public void ConvolutionIm2col()
    {
        var run = Ok("04");
        Assert.That(run.Output, Does.Contain("2. im2col matrix, F.Unfold(x) [1, 18, 9]"));
        Assert.That(run.Output, Does.Contain("weight matrix × im2col matrix [2, 9]"));
        Assert.That(run.Number(@"^max \|loop − im2col\| = (\S+)$"), Is.LessThanOrEqualTo(1e-6));
        Assert.That(run.Number(@"^max \|loop − Conv2d\| = (\S+)$"), Is.LessThanOrEqualTo(1e-6));
    }

    [Test]
    public void ConvBackprop()
    {
        var run = Ok("05");
        Assert.That(run.Output, Does.Contain("dx = col2im(dcols) = F.Fold(dcols):"));
        Assert.That(run.Number(@"^max \|dW \(GEMM\) − autograd\| = (\S+)$"), Is.LessThanOrEqualTo(1e-6));
        Assert.That(run.Number(@"^max \|dx \(col2im\) − autograd\| = (\S+)$"), Is.LessThanOrEqualTo(1e-6));
        Assert.That(run.Output, Does.Contain("GradCheck F.Conv2d: passed"));
        Assert.That(run.Output, Does.Contain("GradCheck w · Unfold(x): passed"));
    }

    [Test]
    public void BatchNorm()
    {
        var run = Ok("06");
        Assert.That(run.Number(@"^forward: max \|by hand − F\.BatchNorm\| = (\S+)$"), Is.LessThan(1e-5));
        Assert.That(run.Numbers(@"^backward: max \|d. by hand − autograd\| = (\S+)$"), Has.Length.EqualTo(3).And.All.LessThan(1e-5));
        Assert.That(run.Output, Does.Contain("GradCheck: passed"));
    }

    [Test]
    public void CustomOp()
    {
        var run = Ok("07");
        Assert.That(run.Output, Does.Contain("  SwishBackward [6]"));
        Assert.That(run.Number(@"^max \|dx \(Swish\.Backward\) − dx \(built-in ops\)\| = (\S+)$"), Is.LessThan(1e-5));
        Assert.That(run.Output, Does.Contain("GradCheck Swish: passed"));
        // The op with the deliberate mistake must be caught.
        Assert.That(run.Output, Does.Contain("GradCheck SwishForgotChainRule: FAILED"));
    }

    [Test]
    public void TrainMlpAndCnn()
    {
        var run = Ok("08");
        var after = run.Numbers(@"^accuracy after \d+ steps: (\S+) %$");
        Assert.That(after, Has.Length.EqualTo(2), run.Output);
        Assert.That(after[0], Is.GreaterThan(60), "MLP test accuracy after training");
        Assert.That(after[1], Is.GreaterThan(35), "CNN test accuracy after training");
        var lines = run.Output.Split('\n').Where(l => l.TrimStart().StartsWith("steps ", StringComparison.Ordinal)).ToArray();
        Assert.That(lines, Has.Length.EqualTo(16), "eight lines of ten losses per model");
        foreach (var (first, last) in new[] { (lines[0], lines[7]), (lines[8], lines[15]) })
            Assert.That(MeanLoss(last), Is.LessThan(MeanLoss(first) * 0.7), $"the loss must fall:\n{first}\n{last}");
    }

    private static double MeanLoss(string line) =>
        line[(line.IndexOf(':') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).Average();
}
