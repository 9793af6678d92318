using BenchmarkDotNet.Attributes;
using Tensorlet.Benchmarks.Infrastructure;

namespace Tensorlet.Benchmarks.Gemm;

/// <summary>
/// Packed CPU SGEMM on square problems (C = A·B, β = 0), 1 thread and all threads. 2·n³ FLOP per operation.
/// Compare the GFLOP/s with <see cref="Machine.PeakBenchmarks"/> at the same thread count.
/// </summary>
[ThroughputColumns]
public class SgemmBenchmarks : IWorkload
{
    private float[] _a = [], _b = [], _c = [];

    [Params(512, 1024, 2048)]
    public int Size { get; set; } = 512;

    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; } = 1;

    public static IEnumerable<int> ThreadCounts => Machine.PeakBenchmarks.ThreadCounts;

    [GlobalSetup]
    public void Setup()
    {
        Tensorlet.Threads.Count = Threads;
        (_a, _b, _c) = GemmData.Square(Size);
        Console.WriteLine($"// Sgemm kernel: {Kernels.Cpu.Sgemm.Kernel}");
    }

    public Work WorkPerOperation(string method) => new(2.0 * Size * Size * Size, 0);

    [Benchmark]
    public void Sgemm() =>
        Kernels.Cpu.Sgemm.Multiply(false, false, Size, Size, Size, 1f, _a, Size, _b, Size, 0f, _c, Size);
}

internal static class GemmData
{
    /// <summary>Seeded uniform [-1, 1) operands, so every run multiplies the same numbers.</summary>
    public static (float[] A, float[] B, float[] C) Square(int size)
    {
        var rng = new Random(42);
        float[] a = new float[size * size], b = new float[size * size];
        for (int i = 0; i < a.Length; i++) a[i] = (float)(rng.NextDouble() * 2 - 1);
        for (int i = 0; i < b.Length; i++) b[i] = (float)(rng.NextDouble() * 2 - 1);
        return (a, b, new float[size * size]);
    }
}
