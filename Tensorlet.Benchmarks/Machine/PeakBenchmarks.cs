using BenchmarkDotNet.Attributes;
using Tensorlet.Benchmarks.Infrastructure;
using Tensorlet.Kernels.Cpu;

namespace Tensorlet.Benchmarks.Machine;

/// <summary>
/// The machine's FP32 FMA peak: 12 independent accumulator chains per thread (more than FMA latency ×
/// throughput, 4 × 2 on Zen 4), nothing but FMAs in the loop, on 256- and 512-bit vectors, on 1 thread and on
/// every thread. This is the ceiling GEMM efficiency is quoted against. The loops are <see cref="FmaPeak"/>'s, the
/// same ones the "% peak" columns and <c>tensorlet bench</c> measure quickly in process.
/// </summary>
[ThroughputColumns]
public class PeakBenchmarks : IWorkload
{
    private const long Iterations = 20_000_000;
    private const int Chains = FmaPeak.Chains;

    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; } = 1;

    public static IEnumerable<int> ThreadCounts => Environment.ProcessorCount > 1 ? [1, Environment.ProcessorCount] : [1];

    [GlobalSetup]
    public void Setup() => Tensorlet.Threads.Count = Threads;

    public Work WorkPerOperation(string method) =>
        new(2.0 * Chains * Iterations * Threads * (method == nameof(Fma512) ? 16 : 8), 0);

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
