using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Tensorlet.Cli.Training;
using Tensorlet.IO;
using Tensorlet.Onnx;

namespace Tensorlet.Cli.Commands;

/// <summary>
/// <c>tensorlet export</c>: takes a checkpoint written by <c>train</c> out of Tensorlet — the model's state dict alone as
/// safetensors (PyTorch names, no optimizer state), or the eval-mode network as an ONNX graph.
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Checkpoint written by tensorlet train", Required = true };
        var format = new Option<string>("--format")
        {
            Description = "safetensors: the model's weights with PyTorch names; onnx: the eval-mode graph (opset 17)",
            DefaultValueFactory = _ => "safetensors",
        }.Restrict("format", Choices.Formats);
        var output = new Option<string>("--out") { Description = "File to write (replaced atomically)", Required = true };
        var command = new Command("export", "Export a checkpoint's model as safetensors weights or an ONNX graph") { checkpoint, format, output };
        command.SetAction(r =>
        {
            string path = r.GetValue(checkpoint)!, outPath = r.GetValue(output)!;
            string kind = r.GetValue(format)!.ToLowerInvariant();
            if (!File.Exists(path)) throw new FileNotFoundException($"Checkpoint '{path}' does not exist.");
            using var model = RunSetup.ModelFromCheckpoint(path);
            Checkpoint.Load(path, model);
            var meta = SafeTensors.ReadHeader(path).Metadata;
            if (kind == "safetensors")
            {
                model.SaveSafeTensors(outPath, new Dictionary<string, string> { ["format"] = "pt", ["tensorlet.model"] = meta["user.model"] });
                AnsiConsole.MarkupLine($"wrote {Markup.Escape(outPath)}: {model.StateDict().Count} tensors of {Markup.Escape(meta["user.model"])} " +
                                       $"({model.ParameterCount():N0} parameters), PyTorch state-dict names");
                return 0;
            }
            int Size(string key) => int.Parse(meta["user." + key], CultureInfo.InvariantCulture);
            int[] shape = [1, Size("channels"), Size("height"), Size("width")];
            try { OnnxExporter.Export(model, outPath, shape); }
            catch (NotSupportedException ex) { throw new InvalidOperationException(ex.Message, ex); }
            AnsiConsole.MarkupLine($"wrote {Markup.Escape(outPath)}: ONNX opset {OnnxExporter.Opset}, input 'input' [[N, {shape[1]}, {shape[2]}, {shape[3]}]], " +
                                   $"output 'output' [[N, {Size("classes")}]]");
            return 0;
        });
        return command;
    }
}
