using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Tensorlet.Cli.Training;
using Tensorlet.IO;
using Tensorlet.Vision;

namespace Tensorlet.Cli.Commands;

/// <summary>
/// <c>tensorlet predict --checkpoint FILE IMAGE...</c>: the top-k classes of each picture with their probabilities.
/// Pictures of any size, grey or colour, go through the <see cref="ImagePipeline"/> the checkpoint's training data
/// implies (its input shape and normalisation); class names are the ones recorded at training time.
/// </summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Checkpoint written by tensorlet train", Required = true };
        var top = new Option<int>("--top") { Description = "How many classes to list per image, most probable first", DefaultValueFactory = _ => 5 };
        var json = new Option<bool>("--json") { Description = "Print one JSON document (for scripts) instead of tables" };
        var device = DeviceOption.Create();
        var images = new Argument<string[]>("images") { Description = "PNG, JPEG, BMP, GIF or TGA files", Arity = ArgumentArity.OneOrMore };
        var command = new Command("predict", "Classify pictures with a trained checkpoint") { checkpoint, top, json, device, images };
        command.SetAction(r =>
        {
            string path = r.GetValue(checkpoint)!;
            int k = r.GetValue(top);
            if (k <= 0) throw new ArgumentException($"--top must be at least 1, got {k}.");
            if (!File.Exists(path)) throw new FileNotFoundException($"Checkpoint '{path}' does not exist.");
            var (record, input) = DataRecord.FromCheckpoint(path);
            if (input[0] is not (1 or 3))
                throw new InvalidDataException($"{path}: the model takes {input[0]}-channel input; predict reads grey (1) or colour (3) pictures.");
            using var model = RunSetup.ModelFromCheckpoint(path).To(Device.Parse(r.GetValue(device)!));
            Checkpoint.Load(path, model);
            var classifier = new Classifier(model, new ImagePipeline(input[0], input[1], input[2], record.Mean, record.Std), record.ClassNames);
            // Every picture is decoded before anything is printed, so a bad file fails the command without half an answer.
            var results = r.GetValue(images)!.Select(image => (Image: image, Top: classifier.Predict(image, k))).ToList();
            if (r.GetValue(json)) PrintJson(path, results);
            else PrintTables(results);
            return 0;
        });
        return command;
    }

    private static void PrintJson(string checkpoint, List<(string Image, IReadOnlyList<Prediction> Top)> results)
    {
        var document = new
        {
            checkpoint,
            results = results.Select(r => new
            {
                image = r.Image,
                predictions = r.Top.Select(p => new { @class = p.Name, index = p.Index, probability = p.Probability }),
            }),
        };
        Console.WriteLine(JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }));
    }

    private static void PrintTables(List<(string Image, IReadOnlyList<Prediction> Top)> results)
    {
        foreach (var (image, top) in results)
        {
            var table = new Table().Title(Markup.Escape(image)).AddColumn("#").AddColumn("class").AddColumn(new TableColumn("probability").RightAligned());
            int rank = 1;
            foreach (var p in top) table.AddRow($"{rank++}", Markup.Escape(p.Name), $"{p.Probability:P1}");
            AnsiConsole.Write(table);
        }
    }
}
