using System.Globalization;
using System.Text.RegularExpressions;

namespace Tensorlet.Tests.Cli;

/// <summary><c>tensorlet explain backprop</c>: the graph of one step with gradient norms, the DOT file, and its refusals.</summary>
public class ExplainBackpropCommandTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    [Test]
    public void CnnStepPrintsTheGraphWithEveryParameterAndItsGradientNorm()
    {
        var (code, output) = CliProcess.Run(Limit, "explain", "backprop", "--model", "cnn", "--batch", "4", "--seed", "2");
        Assert.That(code, Is.EqualTo(0), output);
        var before = double.Parse(Regex.Match(output, @"forward: loss = .* = ([0-9.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
        var after = double.Parse(Regex.Match(output, @"same batch's loss is now ([0-9.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.That(after, Is.LessThan(before), "one SGD step lowers the loss of its own batch");
        Assert.That(output, Does.Contain("MeanBackward []  grad norm 1"), "d loss / d loss = 1 at the root");
        Assert.That(output, Does.Contain("Conv2dBackward [4, 32, 28, 28]").And.Contain("const images [4, 1, 28, 28]"));
        // Every parameter of SmallCnn appears as a named leaf with a positive gradient norm.
        foreach (var name in new[] { "features.0.0.weight", "features.0.1.bias", "features.4.0.weight", "classifier.weight", "classifier.bias" })
        {
            var m = Regex.Match(output, $@"leaf {Regex.Escape(name)} \[[0-9, ]+\]  grad norm ([0-9.e+-]+)");
            Assert.That(m.Success, name);
            Assert.That(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Is.GreaterThan(0), name);
        }
    }

    [Test]
    public void OutWritesTheDotFileAndSaysWhatBecameOfThePng()
    {
        var dir = Directory.CreateTempSubdirectory("explain-backprop-");
        try
        {
            var (code, output) = CliProcess.Run(Limit, "explain", "backprop", "--model", "mlp", "--out", dir.FullName);
            Assert.That(code, Is.EqualTo(0), output);
            var dot = File.ReadAllText(Path.Combine(dir.FullName, "graph.dot"));
            Assert.That(dot, Does.StartWith("digraph autograd {").And.Contain("layers.1.weight").And.Contain("->"));
            string png = Path.Combine(dir.FullName, "graph.png");
            // Graphviz is optional: with it the PNG exists, without it the command says so and still succeeds.
            if (output.Contains("rendered by Graphviz")) TeachingCheckpoints.AssertPng(png);
            else Assert.That(output, Does.Contain("dot is not installed (apt-get install graphviz)"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void WithoutGraphvizTheRendererSaysHowToInstallIt()
    {
        var dir = Directory.CreateTempSubdirectory("graphviz-");
        try
        {
            string dot = Path.Combine(dir.FullName, "g.dot"), png = Path.Combine(dir.FullName, "g.png");
            File.WriteAllText(dot, "digraph g { a -> b; }\n");
            var problem = Tensorlet.Cli.Explain.GraphvizRenderer.TryRender(dot, png, "tensorlet-test-no-such-dot");
            Assert.That(problem, Does.Contain("dot is not installed (apt-get install graphviz)"));
            Assert.That(File.Exists(png), Is.False);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [TestCase(new[] { "--model", "resnet20" }, "--model must be mlp or cnn")]
    [TestCase(new[] { "--batch", "0" }, "--batch must be 1 to 64")]
    [TestCase(new[] { "--lr", "-1" }, "--lr must be positive")]
    public void BadOptionsGiveOneLine(string[] options, string expected)
    {
        var (code, output) = CliProcess.Run(Limit, ["explain", "backprop", .. options]);
        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain(expected).And.Not.Contain("   at "));
    }
}
