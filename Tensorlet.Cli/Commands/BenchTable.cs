using Spectre.Console;
using Tensorlet.Bench;
using Tensorlet.Kernels.Cpu;

namespace Tensorlet.Cli.Commands;

/// <summary>The table <c>tensorlet bench</c> prints: one row per case, grouped by family, with the machine's ceilings on top.</summary>
internal static class BenchTable
{
    public static void WriteCeilings(MachineCeilings ceilings, string device)
    {
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(device)}[/], {ceilings.Threads} thread(s): FMA peak [bold]{ceilings.PeakGflops:F0}[/] GFLOP/s, " +
                               $"memory bandwidth [bold]{ceilings.BandwidthGBps:F1}[/] GB/s (main memory, measured now; % peak is of the nearer ceiling, and a working set the caches hold is judged against their bandwidth at its size)");
    }

    public static Table Create() => new Table()
        .AddColumn("case").AddColumn("shape")
        .AddColumn(new TableColumn("ms (median)").RightAligned()).AddColumn(new TableColumn("ms (min)").RightAligned())
        .AddColumn(new TableColumn("GFLOP/s").RightAligned()).AddColumn(new TableColumn("GB/s").RightAligned())
        .AddColumn(new TableColumn("% peak").RightAligned());

    public static void AddRow(Table table, BenchResult r)
    {
        // The figure that matters for the case's ceiling is bold; the other is shown for reference.
        string gflops = r.Gflops.ToString(r.Gflops < 10 ? "F2" : "F1"), gbps = r.Gbps.ToString("F1");
        if (r.Bound == "compute") gflops = $"[bold]{gflops}[/]";
        else gbps = $"[bold]{gbps}[/]";
        string fraction = r.PeakFraction is { } f ? $"{100 * f:F0}%" : "-";
        if (r.PeakFraction < 0.25) fraction = $"[red]{fraction}[/]";
        else if (r.PeakFraction >= 0.7) fraction = $"[green]{fraction}[/]";
        table.AddRow(Markup.Escape(r.Name), Markup.Escape(r.Shape), r.Ms.ToString("F3"), r.MsMin.ToString("F3"), gflops, gbps, fraction);
    }
}
