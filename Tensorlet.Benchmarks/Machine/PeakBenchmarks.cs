using BenchmarkDotNet.Attributes;
using Tensorlet.Benchmarks.Infrastructure;
using Tensorlet.Kernels.Cpu;

namespace Tensorlet.Benchmarks.Machine;

/// <summary>
/// The machine's FP32 FMA peak: 16 independent accumulator chains per thread (twice FMA latency × pipes, 4 × 2 on
/// Zen 5), nothing but FMAs in the loop, on 256- and 512-bit vectors, on 1 thread and on
/// every thread. This is the ceiling GEMM efficiency is quoted against. The loops are <see cref="FmaPeak"/>'s, the
/// same ones the "% peak" columns and <c>tensorlet bench</c> measure quickly in process.
/// </summary>
[ThroughputColumns]
public class PeakBenchmarks : IWorkload
{
    private const long Iterations = 20_000_000;

    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; } = 1;

    public static IEnumerable<int> ThreadCounts => Environment.ProcessorCount > 1 ? [1, Environment.ProcessorCount] : [1];

    [GlobalSetup]
    public void Setup() => Tensorlet.Threads.Count = Threads;

    public Work WorkPerOperation(string method) =>
        new((double)Iterations * Threads * FmaPeak.FlopsPerIteration(method == nameof(Fma512) ? 512 : 256), 0);

    [Benchmark]
    public float Fma256()
    {
        var sums = new float[Threads];
        Tensorlet.Threads.Run(Threads, t => sums[t] = FmaPeak.Chains256(Iterations));
        return sums.Sum();
    }

    [Benchmark]
    public float Fma512()
    {
        var sums = new float[Threads];
        Tensorlet.Threads.Run(Threads, t => sums[t] = FmaPeak.Chains512(Iterations));
        return sums.Sum();
    }
}
