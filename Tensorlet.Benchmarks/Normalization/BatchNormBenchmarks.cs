using BenchmarkDotNet.Attributes;
using Tensorlet.Benchmarks.Infrastructure;
using Tensorlet.Kernels;

namespace Tensorlet.Benchmarks.Normalization;

/// <summary>
/// Batch norm, reference loops (double, one thread) against the CPU backend, on ResNet-20-like activations, N = 64:
/// training forward (statistics, running-stat update, output), eval forward, and training backward. GB/s counts the
/// bytes that must cross memory at least once: forward reads x and writes y (8 B per element), backward reads x and gy
/// and writes gx (12 B per element). The CPU kernel reads each channel two or three times, but a channel (N·H·W floats,
/// 256 KB here) stays in L2 between passes.
/// </summary>
[ThroughputColumns]
public class BatchNormBenchmarks : DeviceBenchmark, IWorkload
{
    private const int N = 64;
    private float[] _x = [], _gy = [], _gamma = [], _beta = [], _mean = [], _var = [], _saveMean = [], _saveInvStd = [];

    [ParamsSource(typeof(Variants), nameof(Variants.Available))]
    public KernelVariant Variant { get; set; } = KernelVariant.Reference;

    /// <summary>Channels × side: the three stages of a CIFAR ResNet.</summary>
    [Params("16x32", "32x16", "64x8")]
    public string Stage { get; set; } = "16x32";

    private (int C, int HW) Parse()
    {
        var (c, side) = ParsePair(Stage);
        return (c, side * side);
    }

    [GlobalSetup]
    public void Setup()
    {
        Variants.UseThreads(Variant);
        var (c, hw) = Parse();
        int count = N * c * hw;
        _x = Variants.Random(count, 1).Select(v => 0.5f + v / 2).ToArray();
        _gy = Variants.Random(count, 2);
        (_gamma, _beta, _mean, _var) = (Enumerable.Repeat(1f, c).ToArray(), new float[c], new float[c], Enumerable.Repeat(1f, c).ToArray());
        (_, _saveMean, _saveInvStd) = Kernels.Reference.Normalization.BatchNormForward(N, c, hw, _x, _gamma, _beta, null, null, true, 0.1f, 1e-5f);
        if (Variant == KernelVariant.Reference) return;
        Backend = Variants.Backend(Variant);
        // x, y, gy, gx, γ, β, running mean, running var, saved mean, saved 1/σ, gγ, gβ.
        Buffers = [Variants.Upload(Backend, _x), Backend.Allocate(count), Variants.Upload(Backend, _gy), Backend.Allocate(count),
                    Variants.Upload(Backend, _gamma), Variants.Upload(Backend, _beta), Variants.Upload(Backend, _mean), Variants.Upload(Backend, _var),
                    Variants.Upload(Backend, _saveMean), Variants.Upload(Backend, _saveInvStd), Backend.Allocate(c), Backend.Allocate(c)];
    }

    public Work WorkPerOperation(string method)
    {
        var (c, hw) = Parse();
        double elements = (double)N * c * hw;
        return new(0, (method == nameof(TrainingBackward) ? 12 : 8) * elements, Variants.ThreadCount(Variant));
    }

    [Benchmark(Description = "train fwd")]
    public void TrainingForward() => Forward(true);

    [Benchmark(Description = "eval fwd")]
    public void EvalForward() => Forward(false);

    [Benchmark(Description = "train bwd")]
    public void TrainingBackward()
    {
        var (c, hw) = Parse();
        if (Variant == KernelVariant.Reference)
        {
            Kernels.Reference.Normalization.BatchNormBackward(N, c, hw, _x, _gy, _gamma, _saveMean, _saveInvStd, true);
            return;
        }
        var b = Buffers;
        var grads = new BatchNormGrads(Variants.View(b[3], N, c, hw), Variants.View(b[10], c), Variants.View(b[11], c));
        Backend!.BatchNormBackward(Args(c, hw, true), Variants.View(b[2], N, c, hw), grads); Variants.Sync(Backend);
    }

    private void Forward(bool training)
    {
        var (c, hw) = Parse();
        if (Variant == KernelVariant.Reference)
        {
            Kernels.Reference.Normalization.BatchNormForward(N, c, hw, _x, _gamma, _beta, _mean, _var, training, 0.1f, 1e-5f);
            return;
        }
        var b = Buffers;
        Backend!.BatchNormForward(Args(c, hw, training), Variants.View(b[1], N, c, hw)); Variants.Sync(Backend);
    }

    private BatchNormArgs Args(int c, int hw, bool training)
    {
        var b = Buffers;
        StridedView Channels(int i) => Variants.View(b[i], c);
        return new(Variants.View(b[0], N, c, hw), Channels(4), Channels(5), Channels(6), Channels(7), Channels(8), Channels(9), training, 0.1f, 1e-5f);
    }
}
