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
/// Runs each case in Tensorlet and in libtorch in the same process, interleaved: both are set up, both warm up, then
/// every round times one run of each (which goes first alternates), so load from the rest of a shared machine falls on
/// both engines alike. Medians of the rounds are compared.
/// </summary>
internal static class Comparison
{
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
        long start = Stopwatch.GetTimestamp();
        while (ours.Count < options.MinRuns ||
               (ours.Count < options.MaxRuns && Stopwatch.GetElapsedTime(start).TotalSeconds < 2 * options.BudgetSeconds))
        {
            bool oursFirst = ours.Count % 2 == 0;
            if (oursFirst) ours.Add(Time(tensorlet));
            theirs.Add(Time(torch));
            if (!oursFirst) ours.Add(Time(tensorlet));
        }

        var spec = benchCase.Spec;
        double oursMs = BenchTimer.Median(ours), theirsMs = BenchTimer.Median(theirs);
        double Gflops(double ms) => spec.Flops / (ms / 1000) / 1e9;
        double Gbps(double ms) => spec.Bytes / (ms / 1000) / 1e9;
        return new ComparisonResult(benchCase.Name, benchCase.Family, spec.Shape, spec.ComputeBound, ours.Count,
                                    oursMs, theirsMs, Gflops(oursMs), Gflops(theirsMs), Gbps(oursMs), Gbps(theirsMs),
                                    ceilings.Fraction(spec.Flops, spec.Bytes, oursMs / 1000),
                                    ceilings.Fraction(spec.Flops, spec.Bytes, theirsMs / 1000), theirsMs / oursMs);
    }

    private static double Time(IBenchRun run)
    {
        long before = Stopwatch.GetTimestamp();
        run.Run();
        return Stopwatch.GetElapsedTime(before).TotalMilliseconds;
    }
}
