using System.CommandLine;
using Spectre.Console;
using Tensorlet.Cli.Training;
using Tensorlet.Data;
using Tensorlet.IO;

namespace Tensorlet.Cli.Commands;

/// <summary><c>tensorlet eval</c>: loads a checkpoint written by <c>train</c> and reports test loss and accuracy.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Checkpoint written by tensorlet train", Required = true };
        var data = new Option<string?>("--data") { Description = "Directory with the IDX files, or 'sample' (default: the installed full set, else the sample)" };
        var batch = new Option<int>("--batch") { Description = "Batch size", DefaultValueFactory = _ => 500 };
        var threads = ThreadsOption.Create();
        var device = DeviceOption.Create();
        var command = new Command("eval", "Evaluate a checkpoint on the test set") { checkpoint, data, batch, threads, device };
        command.SetAction(r =>
        {
            Threads.Count = ThreadsOption.Clamp(r.GetValue(threads));
            string path = r.GetValue(checkpoint)!;
            if (!File.Exists(path)) throw new FileNotFoundException($"Checkpoint '{path}' does not exist.");
            var target = Device.Parse(r.GetValue(device)!);
            using var model = RunSetup.ModelFromCheckpoint(path).To(target);
            var state = Checkpoint.Load(path, model);
            var source = FashionMnist.Resolve(r.GetValue(data));
            var test = source.Load(train: false);
            var (loss, acc) = Evaluator.Evaluate(model, test, r.GetValue(batch), target);
            AnsiConsole.MarkupLine($"{Markup.Escape(path)} (epoch {state.Epoch}) on {Markup.Escape(source.Description)}: " +
                                   $"test loss {loss:F4}, [bold]accuracy {acc:P2}[/] ({test.Count:N0} images)");
            return 0;
        });
        return command;
    }
}
