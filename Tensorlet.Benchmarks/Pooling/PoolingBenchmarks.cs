using BenchmarkDotNet.Attributes;
using Tensorlet.Benchmarks.Infrastructure;
using Tensorlet.Kernels;
using Tensorlet.Kernels.Cpu;

namespace Tensorlet.Benchmarks.Pooling;

/// <summary>
/// CPU pooling kernels on ResNet-20-like activations, N = 64: max 3×3/2 pad 1 and 2×2/2, average 2×2/2, and the
/// global average pool that ends the network; forward and backward. Pooling is memory-bound, so the figure of merit
/// is GB/s over the bytes each kernel must move (inputs read once, outputs written once; index maps count 4 B per
/// output). Compare with the copy and triad baselines of <see cref="Elementwise.ElementwiseBenchmarks"/>.
/// </summary>
[ThroughputColumns]
public class PoolingBenchmarks : IWorkload
{
    private const int N = 64;
    private readonly IBackend _cpu = CpuBackend.Instance;
    private DeviceBuffer _x = null!, _gx = null!, _y = null!, _gy = null!, _indices = null!;
    private Pool2dGeometry _max3, _max2, _avg2;

    /// <summary>Channels × side: the three stages of a CIFAR ResNet.</summary>
    [Params("16x32", "32x16", "64x8")]
    public string Stage { get; set; } = "16x32";

    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; } = 1;

    public static IEnumerable<int> ThreadCounts => Machine.PeakBenchmarks.ThreadCounts;

    private (int C, int Side) Parse()
    {
        var parts = Stage.Split('x');
        return (int.Parse(parts[0]), int.Parse(parts[1]));
    }

    private Pool2dGeometry Geometry(int k, int s, int p)
    {
        var (c, side) = Parse();
        return new Pool2dGeometry(N, c, side, side, k, k, s, s, p, p);
    }

    [GlobalSetup]
    public void Setup()
    {
        Tensorlet.Threads.Count = Threads;
        (_max3, _max2, _avg2) = (Geometry(3, 2, 1), Geometry(2, 2, 0), Geometry(2, 2, 0));
        int input = N * _max3.C * _max3.H * _max3.W, output = N * _max3.C * _max3.OutH * _max3.OutW;
        _x = Upload(input, 1);
        _gx = _cpu.Allocate(input);
        _y = _cpu.Allocate(output);
        _gy = Upload(output, 2);
        _indices = _cpu.Allocate(output);
        // The backward benchmarks scatter through the indices of a real forward pass.
        _cpu.MaxPool2d(_max3, _x, 0, _y, 0, _indices, 0);
    }

    private DeviceBuffer Upload(int count, int seed)
    {
        var rng = new Random(seed);
        var host = new float[count];
        for (int i = 0; i < count; i++) host[i] = rng.NextSingle() * 2 - 1;
        var buffer = _cpu.Allocate(count);
        _cpu.Upload(host, buffer, 0);
        return buffer;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var b in new[] { _x, _gx, _y, _gy, _indices }) b.Dispose();
    }

    public Work WorkPerOperation(string method)
    {
        var (c, side) = Parse();
        double input = 4.0 * N * c * side * side;
        double Out(Pool2dGeometry g) => 4.0 * N * c * g.OutH * g.OutW;
        return method switch
        {
            nameof(MaxPool3x3Forward) => new(0, input + 2 * Out(Geometry(3, 2, 1))),
            nameof(MaxPool3x3Backward) => new(0, input + 2 * Out(Geometry(3, 2, 1))),
            nameof(MaxPool2x2Forward) => new(0, input + 2 * Out(Geometry(2, 2, 0))),
            nameof(MaxPool2x2Backward) => new(0, input + 2 * Out(Geometry(2, 2, 0))),
            nameof(AvgPool2x2Forward) or nameof(AvgPool2x2Backward) => new(0, input + Out(Geometry(2, 2, 0))),
            nameof(GlobalAvgPoolForward) or nameof(GlobalAvgPoolBackward) => new(0, input + 4.0 * N * c),
            _ => default,
        };
    }

    [Benchmark(Description = "max 3x3/2 p1 fwd")]
    public void MaxPool3x3Forward() => _cpu.MaxPool2d(_max3, _x, 0, _y, 0, _indices, 0);

    [Benchmark(Description = "max 3x3/2 p1 bwd")]
    public void MaxPool3x3Backward() => _cpu.MaxPool2dBackward(_max3, _gy, 0, _indices, 0, _gx, 0);

    [Benchmark(Description = "max 2x2/2 fwd")]
    public void MaxPool2x2Forward() => _cpu.MaxPool2d(_max2, _x, 0, _y, 0, _indices, 0);

    /// <summary>Scatters through the 3×3 indices: valid positions, and 2×2/2 has the same output size.</summary>
    [Benchmark(Description = "max 2x2/2 bwd")]
    public void MaxPool2x2Backward() => _cpu.MaxPool2dBackward(_max2, _gy, 0, _indices, 0, _gx, 0);

    [Benchmark(Description = "avg 2x2/2 fwd")]
    public void AvgPool2x2Forward() => _cpu.AvgPool2d(_avg2, _x, 0, _y, 0);

    [Benchmark(Description = "avg 2x2/2 bwd")]
    public void AvgPool2x2Backward() => _cpu.AvgPool2dBackward(_avg2, _gy, 0, _gx, 0);

    [Benchmark(Description = "global avg fwd")]
    public void GlobalAvgPoolForward() => _cpu.AdaptiveAvgPool2d(N, _max3.C, _max3.H, _max3.W, 1, 1, _x, 0, _y, 0);

    [Benchmark(Description = "global avg bwd")]
    public void GlobalAvgPoolBackward() => _cpu.AdaptiveAvgPool2dBackward(N, _max3.C, _max3.H, _max3.W, 1, 1, _gy, 0, _gx, 0);
}
