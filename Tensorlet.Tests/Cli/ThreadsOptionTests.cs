using System.CommandLine;
using Tensorlet.Cli.Commands;

namespace Tensorlet.Tests.Cli;

/// <summary><c>--threads</c>: zero or fewer refused at parse time, more than the cores clamped with a warning.</summary>
public class ThreadsOptionTests
{
    [TestCase("train --threads 0", 0)]
    [TestCase("eval --checkpoint c.safetensors --threads -3", -3)]
    [TestCase("bench --threads 0", 0)]
    public void ZeroOrFewerThreadsAreRefused(string commandLine, int n)
    {
        var root = new RootCommand { TrainCommand.Create(), EvalCommand.Create(), BenchCommand.Create() };
        Assert.That(root.Parse(commandLine).Errors.Select(e => e.Message), Is.EqualTo(new[] { $"--threads must be at least 1, got {n}." }));
    }

    [Test]
    public void UpToTheCoreCountIsKeptWithoutAWarning()
    {
        var warnings = new StringWriter();
        Assert.That(ThreadsOption.Clamp(1, warnings), Is.EqualTo(1));
        Assert.That(ThreadsOption.Clamp(Environment.ProcessorCount, warnings), Is.EqualTo(Environment.ProcessorCount));
        Assert.That(warnings.ToString(), Is.Empty);
        Assert.That(new RootCommand { TrainCommand.Create() }.Parse($"train --threads {Environment.ProcessorCount}").Errors, Is.Empty);
    }

    [Test]
    public void MoreThanTheCoresIsClampedWithAWarning()
    {
        var warnings = new StringWriter();
        int cores = Environment.ProcessorCount;
        Assert.That(ThreadsOption.Clamp(cores + 7, warnings), Is.EqualTo(cores));
        Assert.That(warnings.ToString().Trim(), Does.StartWith($"warning: --threads {cores + 7} is more than the {cores} cores here; using {cores}"));
    }

    [Test]
    public void TheCommandPrintsTheWarningAndCarriesOn()
    {
        // eval clamps before it opens the checkpoint, so a missing file shows the warning was not fatal.
        var (code, output) = CliProcess.Run(TimeSpan.FromMinutes(1), "eval", "--checkpoint", "/nonexistent/c.safetensors", "--threads", "100000");
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Contain($"warning: --threads 100000 is more than the {Environment.ProcessorCount} cores here"));
        Assert.That(output, Does.Contain("error:").And.Contain("/nonexistent/c.safetensors"));
    }
}
