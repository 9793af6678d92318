using System.CommandLine;
using System.CommandLine.Completions;
using System.Text.RegularExpressions;
using Tensorlet.Cli.Commands;

namespace Tensorlet.Tests.Cli;

/// <summary>
/// The options with a fixed set of values, parsed in process: a wrong value is refused with the close spellings, every
/// listed value is accepted, and the values show in <c>--help</c> and in tab completion.
/// </summary>
public class ChoicesTests
{
    private static RootCommand Root() => new("tensorlet") { TrainCommand.Create(), EvalCommand.Create(), BenchCommand.Create(), ExportCommand.Create() };

    private static IReadOnlyList<string> Errors(string commandLine) => Root().Parse(commandLine).Errors.Select(e => e.Message).ToList();

    private static IReadOnlyList<string> Completions(string commandLine) =>
        Root().Parse(commandLine).GetCompletions(commandLine.Length).Select(c => c.Label).ToList();

    [Test]
    public void AMistypedModelNamesTheClosestModels()
    {
        Assert.That(Errors("train --model resnet2"), Is.EqualTo(new[] { "unknown model 'resnet2'; did you mean 'resnet8', 'resnet20' or 'resnet32'?" }));
        Assert.That(Errors("train --model densenet121x").Single(), Does.Contain("did you mean 'densenet121'"));
    }

    [Test]
    public void AModelNameFarFromEveryModelPointsToTheModelsCommand()
    {
        string error = Errors("train --model nosuchnet").Single();
        Assert.That(error, Does.StartWith("unknown model 'nosuchnet'; expected one of " + Choices.Models.Count + " names"));
        Assert.That(error, Does.Contain("`tensorlet models` lists them all"));
    }

    [Test]
    public void EveryZooModelIsAcceptedInAnyCase()
    {
        foreach (var name in Choices.Models)
            Assert.That(Errors($"train --model {name}"), Is.Empty, name);
        Assert.That(Errors("train --model ResNet20"), Is.Empty);
    }

    [TestCase("--optimizer adm", "unknown optimizer 'adm'; did you mean 'adam'?")]
    [TestCase("--optimizer sdg", "unknown optimizer 'sdg'; did you mean 'sgd'?")]
    [TestCase("--optimizer lbfgs", "unknown optimizer 'lbfgs'; expected 'sgd', 'adam' or 'adamw'.")]
    [TestCase("--schedule cosin", "unknown schedule 'cosin'; did you mean 'cosine'?")]
    [TestCase("--schedule linear", "unknown schedule 'linear'; expected 'cosine', 'step', 'none' or 'constant'.")]
    public void AWrongOptimizerOrScheduleIsRefusedAtParseTime(string option, string expected) =>
        Assert.That(Errors("train " + option), Is.EqualTo(new[] { expected }));

    [Test]
    public void EveryListedOptimizerAndScheduleIsAccepted()
    {
        foreach (var o in Choices.Optimizers) Assert.That(Errors($"train --optimizer {o.ToUpperInvariant()}"), Is.Empty, o);
        foreach (var s in Choices.Schedules) Assert.That(Errors($"train --schedule {s}"), Is.Empty, s);
    }

    [Test]
    public void DatasetAndFormatOptionsTakeOnlyTheirChoices()
    {
        Assert.That(Errors("export --checkpoint c --out o --format onx").Single(), Is.EqualTo("unknown format 'onx'; did you mean 'onnx'?"));
        Assert.That(Errors("train --dataset cifar1000").Single(), Does.Contain("did you mean 'cifar100'"));
        Assert.That(Errors("export --checkpoint c --out o --format SafeTensors"), Is.Empty);
        foreach (var d in Choices.Datasets) Assert.That(Errors($"train --dataset {d}"), Is.Empty, d);
        foreach (var d in Choices.Datasets) Assert.That(Errors($"eval --checkpoint c --dataset {d}"), Is.Empty, d);
    }

    [Test]
    public void TrainHelpShowsTheChoicesAndModelFamiliesNotEveryModel()
    {
        var output = new StringWriter();
        int code = Root().Parse("train --help").Invoke(new InvocationConfiguration { Output = output });
        string help = output.ToString();
        Assert.That(code, Is.Zero);
        Assert.That(help, Does.Contain("--optimizer <sgd|adam|adamw>"));
        Assert.That(help, Does.Contain("--schedule <cosine|step|none|constant>"));
        Assert.That(help, Does.Contain("--device <cpu|cuda[:N]|opencl[:N]|ilgpu-cpu|best>"));
        Assert.That(help, Does.Contain("--model <name>").And.Contain("`tensorlet models` lists every name"));
        foreach (var family in Choices.ModelFamilies) Assert.That(help, Does.Contain(family));
        // The default (cnn) is named; a wall of the zoo is not.
        var named = Choices.Models.Where(m => Regex.IsMatch(help, $@"(?<![\w-]){Regex.Escape(m)}(?![\w-])")).ToList();
        Assert.That(named, Is.EquivalentTo(new[] { "cnn" }));
    }

    [Test]
    public void TabCompletionOffersEveryModelAndEveryChoice()
    {
        Assert.That(Completions("train --model "), Is.SupersetOf(Choices.Models));
        Assert.That(Completions("train --model densenet"), Is.SupersetOf(Choices.Models.Where(m => m.StartsWith("densenet"))));
        Assert.That(Completions("train --model densenet"), Has.None.StartsWith("resnet"));
        Assert.That(Completions("train --optimizer "), Is.EquivalentTo(Choices.Optimizers));
        Assert.That(Completions("train --schedule cos"), Is.EqualTo(new[] { "cosine" }));
        Assert.That(Completions("eval --device "), Is.EquivalentTo(Choices.Devices));
    }

    [Test]
    public void TheSuggestDirectiveCompletesFromTheShell()
    {
        // What a shell's completion script runs: tensorlet [suggest:CURSOR] "COMMAND LINE".
        const string line = "train --model resnet1";
        var (code, output) = CliProcess.Run(TimeSpan.FromMinutes(1), $"[suggest:{line.Length}]", line);
        Assert.That(code, Is.Zero, output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.That(lines, Does.Contain("resnet110").And.Contain("resnet18").And.Contain("resnet152"));
        Assert.That(lines, Has.All.Contains("resnet1"));
    }

    [Test]
    public void AParseErrorIsItsLineWithoutTheHelpScreen()
    {
        var (code, output) = CliProcess.Run(TimeSpan.FromMinutes(1), "train", "--optimizer", "adm");
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output.Trim(), Is.EqualTo("error: unknown optimizer 'adm'; did you mean 'adam'?"));
    }
}
