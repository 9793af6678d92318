using Spectre.Console;
using Tensorlet.Bench;
using Tensorlet.Benchmarks.Torch;

// Tensorlet against libtorch on the cases of `tensorlet bench`, each engine in its own process. See README.md.
//   dotnet run -c Release --project benchmarks/Tensorlet.Benchmarks.Torch -- [--quick] [--filter PATTERN] [--threads N] [--blocks B] [--out DIR]
//   ... -- --check-models   (each whole model's parameters in both engines and one small forward, no timing)
// The driver re-runs this program as its children with --engine tensorlet|libtorch|libtorch-nommap --block B --result FILE
// (and --cases NAME,NAME: exactly those cases, to measure again a case its blocks did not corroborate).
bool quick = false, checkModels = false;
string? filter = null, outDir = "runs/torch-bench", engine = null, result = null, only = null;
int threads = 2, blocks = 3, block = 0;
const string Usage = "usage: [--quick] [--filter PATTERN] [--threads N] [--blocks B (≥ 3)] [--out DIR] | --check-models";
for (int i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"'{args[i]}' needs a value; {Usage}");
    switch (args[i])
    {
        case "--quick": quick = true; break;
        case "--check-models": checkModels = true; break;
        case "--filter": filter = Value(); break;
        case "--threads": threads = int.Parse(Value()); break;
        case "--blocks": blocks = int.Parse(Value()); break;
        case "--out": outDir = Value(); break;
        case "--engine": engine = Value(); break;
        case "--block": block = int.Parse(Value()); break;
        case "--result": result = Value(); break;
        case "--cases": only = Value(); break;
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}'; {Usage}");
            return 2;
    }
}
if (threads < 1 || blocks < 3)
{
    Console.Error.WriteLine($"--threads must be at least 1 and --blocks at least 3 (a median of fewer is no median); {Usage}");
    return 2;
}
if (engine != null && !Tensorlet.Bench.Comparison.EngineRun.Engines.Contains(engine))
{
    Console.Error.WriteLine($"--engine must be one of {string.Join(", ", Tensorlet.Bench.Comparison.EngineRun.Engines)}, got '{engine}'");
    return 2;
}
if (checkModels) return TorchModels.CheckAgainstTensorlet();
var timing = quick ? TimingOptions.Quick : TimingOptions.Full;
if (engine != null)
{
    if (result == null)
    {
        Console.Error.WriteLine($"--engine needs --result FILE; {Usage}");
        return 2;
    }
    List<BenchCase> childCases;
    try { childCases = Driver.Cases(filter, only); }
    catch (ArgumentException e)
    {
        Console.Error.WriteLine(e.Message);
        return 2;
    }
    return EngineChild.Run(engine, block, childCases, timing, threads, result);
}

if (!AnsiConsole.Profile.Capabilities.Interactive) AnsiConsole.Profile.Width = 160; // logs: no wrapping mid-row
string commandLine = "dotnet run -c Release --project benchmarks/Tensorlet.Benchmarks.Torch --" + string.Concat(args.Select(a => " " + a));
return Driver.Run(new DriverOptions(filter, quick, threads, blocks, outDir!, commandLine));
