using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Tensorlet.Bench;
using Tensorlet.Kernels.Cpu;

namespace Tensorlet.Cli.Commands;

/// <summary>
/// <c>tensorlet bench</c>: a short, dependency-free microbenchmark of the kernel families through the public tensor ops.
/// Measures the machine's FMA peak and memory bandwidth first, then each case (warm-up, then the median of repeated
/// runs), and prints ms, GFLOP/s, GB/s and the fraction of the nearer ceiling. The BenchmarkDotNet suites in
/// Tensorlet.Benchmarks measure the same families in depth; this is the ten-second version.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "About a fifth of a second per case (≈10 s in all)" };
        var filter = new Option<string?>("--filter") { Description = "Only cases whose name matches: a glob (conv/*/fwd) or a substring (gemm), several joined by commas (reduce,pool); whole models run only when named (train/, infer/)" };
        var device = DeviceOption.Create();
        var json = new Option<bool>("--json") { Description = "Print a JSON array of {name, ms, gflops, gbps, peakFraction, threads, device, ...} and nothing else" };
        var threads = ThreadsOption.Create();
        var list = new Option<bool>("--list") { Description = "List the case names (all of them, the on-request whole models marked) and exit" };
        var command = new Command("bench", "Microbenchmark GEMM, convolution, element-wise, reductions, pooling, batch norm and softmax")
        {
            quick, filter, device, json, threads, list,
        };
        command.SetAction(r =>
        {
            var cases = BenchCatalog.Filter(r.GetValue(filter));
            if (r.GetValue(list))
            {
                // Without a filter the list shows every case, so the on-request ones can be found.
                foreach (var c in r.GetValue(filter) == null ? BenchCatalog.All : cases)
                    Console.WriteLine($"{c.Name}\t{c.Spec.Shape}" + (c.OnRequest ? "\t(runs only when a filter names it)" : ""));
                return 0;
            }
            if (cases.Count == 0)
                throw new ArgumentException($"bench: no case matches '{r.GetValue(filter)}'. Cases: {string.Join(", ", BenchCatalog.All.Select(c => c.Name))}.");
            Threads.Count = ThreadsOption.Clamp(r.GetValue(threads));
            var target = Device.Parse(r.GetValue(device)!);
            var timing = r.GetValue(quick) ? TimingOptions.Quick : TimingOptions.Full;
            // The probes measure the CPU; on another device its own peak would be needed, so no fraction is given.
            MachineCeilings? ceilings = ReferenceEquals(target, Device.Cpu) ? MachineCeilings.Get(Threads.Count) : null;

            if (r.GetValue(json))
            {
                var results = BenchRunner.Run(cases, target, timing, ceilings);
                Console.WriteLine(JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
                return 0;
            }
            if (ceilings != null) BenchTable.WriteCeilings(ceilings, target.Name);
            var table = BenchTable.Create();
            AnsiConsole.Status().Start("measuring", ctx =>
                BenchRunner.Run(cases, target, timing, ceilings, result =>
                {
                    BenchTable.AddRow(table, result);
                    ctx.Status($"measured {Markup.Escape(result.Name)}");
                }));
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }
}
