using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Tensorlet.Models;
using Tensorlet.NN;

namespace Tensorlet.Cli.Commands;

/// <summary>
/// <c>tensorlet models</c>: every named configuration with its parameters and forward FLOPs at its native input. Each
/// model is built and run on the meta device (shapes, no data), so the whole zoo is counted in about a second.
/// </summary>
internal static class ModelsCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON array of {name, family, params, flops, input}" };
        var filter = new Option<string?>("--filter") { Description = "Only names containing this text" };
        var command = new Command("models", "List the model configurations with parameters and FLOPs") { json, filter };
        command.SetAction(r =>
        {
            var rows = new List<Dictionary<string, object>>();
            string? f = r.GetValue(filter);
            foreach (var e in ModelZoo.All.Where(e => f == null || e.Name.Contains(f, StringComparison.OrdinalIgnoreCase)))
            {
                using var onMeta = Device.Meta.AsDefault();
                using var model = e.Create(e.NativeInput[0], e.NativeClasses, new Generator(0));
                var summary = model.Summary([1, .. e.NativeInput]);
                rows.Add(new Dictionary<string, object>
                {
                    ["name"] = e.Name, ["family"] = e.Family, ["params"] = summary.TotalParameters,
                    ["flops"] = summary.TotalFlops, ["input"] = e.NativeInput, ["classes"] = e.NativeClasses,
                });
            }
            if (r.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(rows, new JsonSerializerOptions { WriteIndented = true }));
                return 0;
            }
            var table = new Table().AddColumns("name", "family", "input", "classes", "parameters", "FLOPs (forward, batch 1)");
            foreach (var row in rows)
                table.AddRow(Markup.Escape((string)row["name"]), Markup.Escape((string)row["family"]),
                             Markup.Escape("[" + string.Join(", ", (int[])row["input"]) + "]"), row["classes"].ToString()!,
                             ((long)row["params"]).ToString("N0"), ModelSummary.FormatFlops((double)row["flops"]));
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }
}
