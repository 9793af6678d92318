using System.CommandLine;
using Spectre.Console;
using Tensorlet.Cli.Commands;

var root = new RootCommand("Tensorlet: a from-scratch tensor and autograd engine — train, evaluate and benchmark small nets.")
{
    TrainCommand.Create(),
    EvalCommand.Create(),
    ExportCommand.Create(),
    ModelsCommand.Create(),
    PairFiltersCommand.Create(),
    VisualizeCommand.Create(),
    ExplainCommand.Create(),
    SelfTestCommand.Create(),
    BenchCommand.Create(),
    PredictCommand.Create(),
};
if (!AnsiConsole.Profile.Capabilities.Interactive) AnsiConsole.Profile.Width = 160; // logs: no wrapping mid-line
try
{
    var parsed = root.Parse(args);
    // A mistyped value gets its own line ("error: unknown model 'x'; did you mean ...?"), like every other user error,
    // not a screen of help above it.
    if (parsed.Errors.Count > 0)
    {
        foreach (var e in parsed.Errors) AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
        return 1;
    }
    return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception ex) when (ex is ArgumentException or IOException or InvalidDataException or InvalidOperationException
                               or UnauthorizedAccessException or NotFiniteNumberException)
{
    // User errors (bad option, missing, unreadable or corrupt file, a diverged run) get one clear line, not a stack trace.
    AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(ex.Message)}");
    return 1;
}
