using System.Diagnostics;
using Tensorlet.Cli.Bench;
using Tensorlet.Kernels.Cpu;

namespace Tensorlet.Benchmarks.Torch;

/// <summary>One case measured in both engines: medians, throughputs, fractions of the machine's ceilings, and the ratio.</summary>
/// <param name="Ratio">Tensorlet throughput / libtorch throughput (= libtorch ms / Tensorlet ms): above 1, Tensorlet is faster.</param>
internal sealed record ComparisonResult(
    string Name, string Family, string Shape, bool ComputeBound, int Rounds,
    double TensorletMs, double TorchMs, double TensorletGflops, double TorchGflops, double TensorletGbps, double TorchGbps,
    double TensorletPeakFraction, double TorchPeakFraction, double Ratio);

/// <summary>
/// Runs each case in Tensorlet and in libtorch in the same process, interleaved: both are set up and warmed up, then
/// rounds alternate a block of timed runs of one engine with a block of the other (which goes first alternates), so load
/// from the rest of a shared machine falls on both engines alike. Medians of all timed runs are compared.
/// </summary>
/// <remarks>
/// Blocks rather than single runs, each opened by untimed runs for <see cref="Settle"/>: after a parallel region
/// libtorch's OpenMP workers spin for a few milliseconds before they sleep, and a Tensorlet run started in that window
/// shares its cores with a spinning thread (measured: 2-thread GEMM 121 instead of 198 GFLOP/s when runs alternated one
/// by one). Tensorlet's workers block almost at once, so libtorch was not slowed the other way round.
/// </remarks>
internal static class Comparison
{
    /// <summary>Untimed runs at the start of every block, so the other engine's threads have gone idle.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(15);

    public static ComparisonResult Measure(BenchCase benchCase, TimingOptions options, MachineCeilings ceilings)
    {
        using var tensorlet = TensorletCases.Create(benchCase.Spec, Device.Cpu);
        using var torch = TorchCases.Create(benchCase.Spec);
        long warmupStart = Stopwatch.GetTimestamp();
        for (int i = 0; i < options.WarmupRuns || Stopwatch.GetElapsedTime(warmupStart).TotalSeconds < 2 * options.WarmupSeconds; i++)
        {
            tensorlet.Run();
            torch.Run();
        }

        var ours = new List<double>();
        var theirs = new List<double>();
        // Four blocks per engine within the budget, each at least a few runs long.
        var block = TimeSpan.FromSeconds(options.BudgetSeconds / 4);
        long start = Stopwatch.GetTimestamp();
        for (int round = 0; Math.Min(ours.Count, theirs.Count) < options.MinRuns ||
                            (ours.Count < options.MaxRuns && Stopwatch.GetElapsedTime(start).TotalSeconds < 2 * options.BudgetSeconds); round++)
        {
            if (round % 2 == 0)
            {
                Block(tensorlet, ours, block);
                Block(torch, theirs, block);
            }
            else
            {
                Block(torch, theirs, block);
                Block(tensorlet, ours, block);
            }
        }

        var spec = benchCase.Spec;
        double oursMs = BenchTimer.Median(ours), theirsMs = BenchTimer.Median(theirs);
        double Gflops(double ms) => spec.Flops / (ms / 1000) / 1e9;
        double Gbps(double ms) => spec.Bytes / (ms / 1000) / 1e9;
        return new ComparisonResult(benchCase.Name, benchCase.Family, spec.Shape, spec.ComputeBound, Math.Min(ours.Count, theirs.Count),
                                    oursMs, theirsMs, Gflops(oursMs), Gflops(theirsMs), Gbps(oursMs), Gbps(theirsMs),
                                    ceilings.Fraction(spec.Flops, spec.Bytes, oursMs / 1000),
                                    ceilings.Fraction(spec.Flops, spec.Bytes, theirsMs / 1000), theirsMs / oursMs);
    }

    // Settle (untimed), then timed runs: at least 3, and more until the block's time is spent.
    private static void Block(IBenchRun run, List<double> times, TimeSpan length)
    {
        long settle = Stopwatch.GetTimestamp();
        do run.Run();
        while (Stopwatch.GetElapsedTime(settle) < Settle);
        long start = Stopwatch.GetTimestamp();
        for (int k = 0; k < 3 || Stopwatch.GetElapsedTime(start) < length; k++)
        {
            long before = Stopwatch.GetTimestamp();
            run.Run();
            times.Add(Stopwatch.GetElapsedTime(before).TotalMilliseconds);
        }
    }
}
