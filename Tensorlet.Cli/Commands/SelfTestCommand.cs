using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using Tensorlet.Kernels.Diagnostics;

namespace Tensorlet.Cli.Commands;

/// <summary>
/// <c>tensorlet selftest --device D</c>: every kernel on D against the CPU backend on small random inputs, as a table of
/// maximum errors — a quick check that a GPU set-up (driver, ILGPU, device) computes what the CPU computes.
/// </summary>
internal static class SelfTestCommand
{
    public static Command Create()
    {
        var device = DeviceOption.Create();
        device.DefaultValueFactory = _ => "best";
        var command = new Command("selftest", "Run every kernel on a device against the CPU backend and print the maximum errors") { device };
        command.SetAction(r =>
        {
            var target = Device.Parse(r.GetValue(device)!);
            AnsiConsole.MarkupLine($"[bold]selftest[/] {Markup.Escape(target.Name)} against cpu");
            var clock = Stopwatch.StartNew();
            var results = new SelfTest(target.Backend, Device.Cpu.Backend).Run();
            var table = new Table().AddColumns("kernel", "elements", "max abs error", "max rel error", "tolerance", "");
            foreach (var x in results)
            {
                string status = x.Passed ? "[green]ok[/]" : "[red]FAIL[/]";
                if (x.Error != null)
                    table.AddRow(Markup.Escape(x.Kernel), "", "", "", "", $"{status} {Markup.Escape(x.Error)}");
                else
                    table.AddRow(Markup.Escape(x.Kernel), x.Elements.ToString("N0"), x.MaxAbsError.ToString("G3"), x.MaxRelError.ToString("G3"),
                                 x.Tolerance.ToString("G2"), status);
            }
            AnsiConsole.Write(table);
            int failed = results.Count(x => !x.Passed);
            AnsiConsole.MarkupLine(failed == 0
                ? $"[bold green]all {results.Count} kernels match the CPU[/] ({clock.Elapsed.TotalSeconds:F1} s)"
                : $"[bold red]{failed} of {results.Count} kernels differ from the CPU[/] ({clock.Elapsed.TotalSeconds:F1} s)");
            return failed == 0 ? 0 : 1;
        });
        return command;
    }
}
