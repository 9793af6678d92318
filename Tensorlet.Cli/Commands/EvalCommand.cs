using System.CommandLine;
using Spectre.Console;
using Tensorlet.Cli.Training;
using Tensorlet.IO;

namespace Tensorlet.Cli.Commands;

/// <summary>
/// <c>tensorlet eval</c>: loads a checkpoint written by <c>train</c> and reports test loss and accuracy, with the input
/// size, class names and normalisation that training recorded in the checkpoint.
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Checkpoint written by tensorlet train", Required = true };
        var data = new Option<string?>("--data") { Description = DataOptions.DataDescription };
        var dataset = new DataOptions().Dataset;
        var batch = new Option<int>("--batch") { Description = "Batch size", DefaultValueFactory = _ => 500 };
        var threads = ThreadsOption.Create();
        var device = DeviceOption.Create();
        var command = new Command("eval", "Evaluate a checkpoint on the test set") { checkpoint, data, dataset, batch, threads, device };
        command.SetAction(r =>
        {
            Threads.Count = ThreadsOption.Clamp(r.GetValue(threads));
            string path = r.GetValue(checkpoint)!;
            if (!File.Exists(path)) throw new FileNotFoundException($"Checkpoint '{path}' does not exist.");
            var target = Device.Parse(r.GetValue(device)!);
            var (record, input) = DataRecord.FromCheckpoint(path);
            string? dir = r.GetValue(data);
            string kind = TrainingData.EvalKind(dir, r.GetValue(dataset)!, record.Dataset, path);
            var test = TrainingData.Load(kind, dir, train: false, input);
            record.CheckMatches(test, input, path);
            using var model = RunSetup.ModelFromCheckpoint(path).To(target);
            var state = Checkpoint.Load(path, model);
            var (_, evalTransforms) = TrainingData.Transforms([], record.Mean, record.Std);
            var (loss, acc) = Evaluator.Evaluate(model, test, r.GetValue(batch), target, evalTransforms);
            AnsiConsole.MarkupLine($"{Markup.Escape(path)} (epoch {state.Epoch}) on {Markup.Escape(TrainingData.Describe(kind, dir))}: " +
                                   $"test loss {loss:F4}, [bold]accuracy {acc:P2}[/] ({test.Count:N0} images)");
            return 0;
        });
        return command;
    }
}
