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
// Whole-model training steps have no libtorch twin here (they need a TorchSharp ResNet); the kernel cases do.
var cases = BenchCatalog.Filter(filter).Where(c => c.Spec is not TrainStepSpec).ToList();
if (cases.Count == 0)
{
    Console.Error.WriteLine($"no case matches '{filter}'");
    return 2;
}
// libtorch's OpenMP threads are hurt far more than Tensorlet's by other processes on the same cores (their times
// quantise to the scheduler's 4 ms tick), so a run is only a fair comparison on a quiet machine: say how quiet it was.
string loadBefore = LoadAverage();
if (double.TryParse(loadBefore.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture, out double load) && load > 1)
    AnsiConsole.MarkupLine($"[yellow]warning:[/] load average {Markup.Escape(loadBefore)}: other processes share the cores; libtorch's figures will suffer most.");
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
string loadAfter = LoadAverage();
AnsiConsole.MarkupLine($"Load average (1, 5, 15 min) before: {Markup.Escape(loadBefore)}; after: {Markup.Escape(loadAfter)}.");
Directory.CreateDirectory(outDir);
ComparisonReport.WriteJson(results, ceilings, loadBefore, loadAfter, Path.Combine(outDir, "results.json"));
ComparisonReport.WriteCsv(results, Path.Combine(outDir, "results.csv"));
ComparisonPlot.Save(results, ceilings, Path.Combine(outDir, "bench.png"));
AnsiConsole.MarkupLine($"Wrote {Markup.Escape(Path.Combine(outDir, "results.json"))}, results.csv and bench.png.");
return 0;

// The first three fields of /proc/loadavg ("" where there is none).
static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "";
