using System.Text.RegularExpressions;

namespace Tensorlet.Tests.Examples;

/// <summary>
/// Keeps docs/learn true: every example's page shows what the example prints today, every architecture page shows the
/// summary tools/learn-pictures.cs prints today, and every file, picture and page the pages name exists.
/// Regenerate the pages with <c>tools/learn-docs.sh</c>.
/// </summary>
[TestFixture, NonParallelizable]
public class LearnDocsTests
{
    private static string LearnDir => Path.Combine(ExampleRunner.RepoRoot, "docs", "learn");

    private static string[] Pages() => Directory.GetFiles(LearnDir, "*.md").Where(p => Path.GetFileName(p) != "README.md").Order().ToArray();

    public static IEnumerable<string> ExamplePrefixes() => ExampleRunner.Names().Select(n => n[..2]);

    [TestCaseSource(nameof(ExamplePrefixes))]
    public void PageShowsWhatTheExamplePrintsToday(string prefix)
    {
        var page = Directory.GetFiles(LearnDir, prefix + "-*.md").SingleOrDefault();
        Assert.That(page, Is.Not.Null, $"no page docs/learn/{prefix}-*.md for examples/{prefix}-*.cs");
        var pasted = PastedOutput.Block(File.ReadAllText(page!), "output:" + prefix);
        Assert.That(pasted, Is.Not.Null, $"{page} has no <!-- output:{prefix} --> block with a text fence; run tools/learn-docs.sh {prefix}");
        var run = ExampleRunner.Run(prefix);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
        var difference = PastedOutput.Difference(pasted!, run.Output);
        Assert.That(difference, Is.Null, $"{Path.GetFileName(page)} is stale (run tools/learn-docs.sh {prefix}): {difference}");
    }

    [Test]
    public void ArchitecturePagesShowTheSummariesTheToolPrintsToday()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tensorlet-learn-pictures-" + Environment.ProcessId);
        try
        {
            var run = ExampleRunner.Program(Path.Combine("tools", "learn-pictures.cs"), dir);
            Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
            var summaries = Directory.GetFiles(dir, "*.summary.txt");
            Assert.That(summaries, Has.Length.EqualTo(8), "one block per architecture");
            foreach (var file in summaries)
            {
                var arch = Path.GetFileName(file).Replace(".summary.txt", "");
                var marker = "summary:" + arch;
                var page = Pages().SingleOrDefault(p => File.ReadAllText(p).Contains($"<!-- {marker} -->"));
                Assert.That(page, Is.Not.Null, $"no docs/learn page has a <!-- {marker} --> block");
                var pasted = PastedOutput.Block(File.ReadAllText(page!), marker);
                Assert.That(pasted, Is.Not.Null, $"{page}: the {marker} block has no text fence; run tools/learn-docs.sh");
                var difference = PastedOutput.Difference(pasted!, File.ReadAllText(file));
                Assert.That(difference, Is.Null, $"{Path.GetFileName(page)} is stale (run tools/learn-docs.sh): {difference}");
                Assert.That(File.ReadAllText(Path.Combine(dir, arch + ".dot")), Does.StartWith("digraph autograd {"));
                Assert.That(File.Exists(Path.Combine(LearnDir, "img", arch + ".png")), Is.True, $"docs/learn/img/{arch}.png is missing");
            }
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void EveryFilePictureAndLinkNamedByThePagesExists()
    {
        var missing = new List<string>();
        foreach (var page in Directory.GetFiles(LearnDir, "*.md"))
        {
            var text = File.ReadAllText(page);
            foreach (Match m in Regex.Matches(text, @"`(Tensorlet\.[A-Za-z]+/[^`\s]+?)`"))
            {
                var path = Path.Combine(ExampleRunner.RepoRoot, m.Groups[1].Value);
                if (!File.Exists(path) && !Directory.Exists(path)) missing.Add($"{Path.GetFileName(page)}: {m.Groups[1].Value}");
            }
            foreach (Match m in Regex.Matches(text, @"\]\(((?!https?:)[^)#\s]+)(?:#[^)]*)?\)"))
            {
                var path = Path.GetFullPath(Path.Combine(LearnDir, m.Groups[1].Value));
                if (!File.Exists(path) && !Directory.Exists(path)) missing.Add($"{Path.GetFileName(page)}: {m.Groups[1].Value}");
            }
            foreach (Match m in Regex.Matches(text, @"`dotnet run (examples/[^`\s]+\.cs)`"))
                if (!File.Exists(Path.Combine(ExampleRunner.RepoRoot, m.Groups[1].Value))) missing.Add($"{Path.GetFileName(page)}: {m.Groups[1].Value}");
        }
        Assert.That(missing, Is.Empty, "docs/learn names files that do not exist");
    }

    [Test]
    public void ReadmeLeadsThroughEveryPageInOrder()
    {
        var readme = File.ReadAllText(Path.Combine(LearnDir, "README.md"));
        var positions = Pages().Select(p => readme.IndexOf("(" + Path.GetFileName(p) + ")", StringComparison.Ordinal)).ToArray();
        Assert.That(positions, Has.All.GreaterThanOrEqualTo(0), "docs/learn/README.md links every page");
        Assert.That(positions, Is.Ordered, "docs/learn/README.md lists the pages in their numbered order");
    }

    [Test]
    public void PastedNumbersMayDifferByFloatNoiseButNotMore()
    {
        Assert.That(PastedOutput.Difference("max error 2.4e-08\nloss 0.8704", "max error 3.1e-08\nloss 0.8705"), Is.Null);
        Assert.That(PastedOutput.Difference("tensor([ 1.0, -2.0])", "tensor([  1.0,  -2.0])"), Is.Null, "spacing");
        Assert.That(PastedOutput.Difference("loss 0.870", "loss 0.970"), Does.Contain("line 1 differs"));
        Assert.That(PastedOutput.Difference("GradCheck: passed", "GradCheck: FAILED"), Does.Contain("line 1 differs"));
        Assert.That(PastedOutput.Difference("a\nb", "a"), Does.Contain("more lines than the program prints"));
        Assert.That(PastedOutput.Difference("a", "a\nb"), Does.Contain("program prints more lines"));
        Assert.That(PastedOutput.Difference("[1, 2]", "[1, 2, 3]"), Does.Contain("line 1 differs"));
    }

    [Test]
    public void BlockIsFoundOnlyBetweenItsMarkers()
    {
        const string page = "intro\n<!-- output:04 -->\n```text\nline 1\nline 2\n```\n<!-- /output -->\nmore";
        Assert.That(PastedOutput.Block(page, "output:04"), Is.EqualTo("line 1\nline 2"));
        Assert.That(PastedOutput.Block(page, "output:05"), Is.Null);
        Assert.That(PastedOutput.Block("<!-- output:04 -->\n<!-- /output -->", "output:04"), Is.Null, "an empty block has no fence");
    }
}
