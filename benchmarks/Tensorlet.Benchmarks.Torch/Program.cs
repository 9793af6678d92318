using Spectre.Console;
using Tensorlet;
using Tensorlet.Benchmarks.Torch;
using Tensorlet.Cli.Bench;
using Tensorlet.Kernels.Cpu;

// Tensorlet against libtorch on the cases of `tensorlet bench`, in one process, interleaved. See README.md.
//   dotnet run -c Release --project benchmarks/Tensorlet.Benchmarks.Torch -- [--quick] [--filter PATTERN] [--threads N] [--out DIR]
bool quick = false;
string? filter = null, outDir = "runs/torch-bench";
int threads = 2;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--quick": quick = true; break;
        case "--filter": filter = args[++i]; break;
        case "--threads": threads = int.Parse(args[++i]); break;
        case "--out": outDir = args[++i]; break;
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}'; usage: [--quick] [--filter PATTERN] [--threads N] [--out DIR]");
            return 2;
    }
}

if (!AnsiConsole.Profile.Capabilities.Interactive) AnsiConsole.Profile.Width = 160; // logs: no wrapping mid-row
Threads.Count = threads;
TorchSharp.torch.set_num_threads(threads);
TorchSharp.torch.set_num_interop_threads(1);
var cases = BenchCatalog.Filter(filter);
if (cases.Count == 0)
{
    Console.Error.WriteLine($"no case matches '{filter}'");
    return 2;
}
var ceilings = MachineCeilings.Get(threads);
var options = quick ? TimingOptions.Quick : TimingOptions.Full;
var results = new List<ComparisonResult>();
foreach (var benchCase in cases)
{
    var result = Comparison.Measure(benchCase, options, ceilings);
    results.Add(result);
    AnsiConsole.MarkupLine($"[grey]{Markup.Escape(result.Name)}: {result.TensorletMs:F3} ms vs {result.TorchMs:F3} ms, ratio {result.Ratio:F2}[/]");
    Device.Cpu.Backend.TrimPool();
}
ComparisonReport.Print(results, ceilings, threads);
Directory.CreateDirectory(outDir);
ComparisonReport.WriteJson(results, ceilings, Path.Combine(outDir, "results.json"));
ComparisonReport.WriteCsv(results, Path.Combine(outDir, "results.csv"));
ComparisonPlot.Save(results, ceilings, Path.Combine(outDir, "bench.png"));
AnsiConsole.MarkupLine($"Wrote {Markup.Escape(Path.Combine(outDir, "results.json"))}, results.csv and bench.png.");
return 0;
