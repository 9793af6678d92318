using System.CommandLine;
using Spectre.Console;
using Tensorlet.Cli.Visualize;

namespace Tensorlet.Cli.Commands;

/// <summary>
/// <c>tensorlet visualize filters|activations|clique-stages</c>: PNG pictures of what a trained checkpoint holds — its
/// first-layer filters, the feature maps of each stage for one test image, CliqueNet's Stage-I vs Stage-II features.
/// </summary>
internal static class VisualizeCommand
{
    public static Command Create()
    {
        var command = new Command("visualize", "Draw a checkpoint's filters or feature maps into a PNG")
        {
            Filters(),
            ImageCommand("activations", "Feature maps of each stage of the model for one test image", "activations",
                         ActivationPicture.Require, ActivationPicture.Save),
            ImageCommand("clique-stages", "CliqueNet: each block's Stage-I and Stage-II feature maps side by side for one test image",
                         "clique-stages", cp => CliqueStagePicture.Require(cp), CliqueStagePicture.Save),
        };
        return command;
    }

    private static Option<string> CheckpointOption() =>
        new("--checkpoint") { Description = "Checkpoint written by tensorlet train", Required = true };

    private static Command Filters()
    {
        var checkpoint = CheckpointOption();
        var output = new Option<string>("--out") { Description = "PNG to write", DefaultValueFactory = _ => "filters.png" };
        var command = new Command("filters", "The first convolution's filters as a grid, each normalised to its own range") { checkpoint, output };
        command.SetAction(r =>
        {
            using var cp = CheckpointModel.Load(r.GetValue(checkpoint)!);
            string path = r.GetValue(output)!;
            var (layer, shape) = FilterPicture.Save(cp, path);
            AnsiConsole.MarkupLine($"{shape[0]} filters of {Markup.Escape(layer)} {Markup.Escape(Shape.Format(shape))} drawn to [bold]{Markup.Escape(path)}[/]");
            return 0;
        });
        return command;
    }

    /// <param name="check">Refuses a checkpoint the picture cannot be drawn from, before any data is loaded.</param>
    private static Command ImageCommand(string name, string description, string defaultStem, Action<CheckpointModel> check,
                                        Func<CheckpointModel, Tensor, string, string, IReadOnlyList<string>> draw)
    {
        var checkpoint = CheckpointOption();
        var image = new Option<int>("--image") { Description = "Index of the test image", Required = true };
        var data = new Option<string?>("--data") { Description = "Directory with the IDX files, or 'sample' (default: the installed full set, else the sample)" };
        var output = new Option<string?>("--out") { Description = $"PNG to write (default: {defaultStem}-N.png)" };
        var command = new Command(name, description) { checkpoint, image, data, output };
        command.SetAction(r =>
        {
            using var cp = CheckpointModel.Load(r.GetValue(checkpoint)!);
            check(cp);
            int index = r.GetValue(image);
            var (input, className) = cp.TestImage(r.GetValue(data), index);
            using (input)
            {
                string path = r.GetValue(output) ?? $"{defaultStem}-{index}.png";
                foreach (var line in draw(cp, input, $"test image {index} ({className})", path)) AnsiConsole.WriteLine(line);
                AnsiConsole.MarkupLine($"drawn to [bold]{Markup.Escape(path)}[/]");
            }
            return 0;
        });
        return command;
    }
}
