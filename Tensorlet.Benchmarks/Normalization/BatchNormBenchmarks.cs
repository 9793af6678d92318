using BenchmarkDotNet.Attributes;
using Tensorlet.Benchmarks.Infrastructure;
using Tensorlet.Kernels;
using Tensorlet.Kernels.Cpu;

namespace Tensorlet.Benchmarks.Normalization;

/// <summary>
/// CPU batch norm on ResNet-20-like activations, N = 64: training forward (statistics, running-stat update, output),
/// eval forward, and training backward. GB/s counts the bytes that must cross memory at least once: forward reads x
/// and writes y (8 B per element), backward reads x and gy and writes gx (12 B per element). The kernel reads each
/// channel two or three times, but a channel (N·H·W floats, 256 KB here) stays in L2 between passes.
/// </summary>
[ThroughputColumns]
public class BatchNormBenchmarks : IWorkload
{
    private const int N = 64;
    private readonly IBackend _cpu = CpuBackend.Instance;
    private DeviceBuffer _x = null!, _y = null!, _gy = null!, _gx = null!;
    private DeviceBuffer _gamma = null!, _beta = null!, _mean = null!, _var = null!, _saveMean = null!, _saveInvStd = null!, _gGamma = null!, _gBeta = null!;

    /// <summary>Channels × side: the three stages of a CIFAR ResNet.</summary>
    [Params("16x32", "32x16", "64x8")]
    public string Stage { get; set; } = "16x32";

    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; } = 1;

    public static IEnumerable<int> ThreadCounts => Machine.PeakBenchmarks.ThreadCounts;

    private (int C, int HW) Parse()
    {
        var parts = Stage.Split('x');
        int side = int.Parse(parts[1]);
        return (int.Parse(parts[0]), side * side);
    }

    [GlobalSetup]
    public void Setup()
    {
        Tensorlet.Threads.Count = Threads;
        var (c, hw) = Parse();
        int count = N * c * hw;
        _x = Upload(count, 1, 0.5f);
        _gy = Upload(count, 2, 0f);
        _y = _cpu.Allocate(count);
        _gx = _cpu.Allocate(count);
        _gamma = Upload(c, 3, 1f);
        _beta = Upload(c, 4, 0f);
        _mean = Upload(c, 5, 0f);
        _var = Upload(c, 6, 1f);
        (_saveMean, _saveInvStd, _gGamma, _gBeta) = (_cpu.Allocate(c), _cpu.Allocate(c), _cpu.Allocate(c), _cpu.Allocate(c));
        TrainingForward();
    }

    private DeviceBuffer Upload(int count, int seed, float centre)
    {
        var rng = new Random(seed);
        var host = new float[count];
        for (int i = 0; i < count; i++) host[i] = centre + rng.NextSingle() - 0.5f;
        var buffer = _cpu.Allocate(count);
        _cpu.Upload(host, buffer, 0);
        return buffer;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var b in new[] { _x, _y, _gy, _gx, _gamma, _beta, _mean, _var, _saveMean, _saveInvStd, _gGamma, _gBeta }) b.Dispose();
    }

    public Work WorkPerOperation(string method)
    {
        var (c, hw) = Parse();
        double elements = (double)N * c * hw;
        return new(0, (method == nameof(TrainingBackward) ? 12 : 8) * elements);
    }

    [Benchmark(Description = "train fwd")]
    public void TrainingForward()
    {
        var (c, hw) = Parse();
        _cpu.BatchNormForward(N, c, hw, _x, 0, _gamma, _beta, _mean, _var, true, 0.1f, 1e-5f, _y, 0, _saveMean, _saveInvStd);
    }

    [Benchmark(Description = "eval fwd")]
    public void EvalForward()
    {
        var (c, hw) = Parse();
        _cpu.BatchNormForward(N, c, hw, _x, 0, _gamma, _beta, _mean, _var, false, 0.1f, 1e-5f, _y, 0, _saveMean, _saveInvStd);
    }

    [Benchmark(Description = "train bwd")]
    public void TrainingBackward()
    {
        var (c, hw) = Parse();
        _cpu.BatchNormBackward(N, c, hw, _x, 0, _gy, 0, _gamma, _saveMean, _saveInvStd, true, _gx, 0, _gGamma, _gBeta);
    }
}
