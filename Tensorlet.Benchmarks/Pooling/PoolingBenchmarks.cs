using BenchmarkDotNet.Attributes;
using Tensorlet.Benchmarks.Infrastructure;
using Tensorlet.Kernels;

namespace Tensorlet.Benchmarks.Pooling;

/// <summary>
/// Pooling kernels, reference loops (one thread) against the CPU backend, on CIFAR-network activations, N = 64: max
/// 3×3/2 pad 1 and 2×2/2, average 2×2/2 (DenseNet's transitions), and the global average pool that ends ResNet and
/// DenseNet; forward and backward. Pooling is memory-bound, so the figure of merit is GB/s over the bytes each kernel
/// must move (inputs read once, outputs written once; max pooling's index maps count 4 B per output).
/// </summary>
[ThroughputColumns]
public class PoolingBenchmarks : DeviceBenchmark, IWorkload
{
    private const int N = 64;
    private float[] _x = [], _gy = [], _indices3 = [], _indices2 = [], _gyPooled = [];
    private Pool2dGeometry _max3, _max2, _avg2;

    [ParamsSource(typeof(Variants), nameof(Variants.Available))]
    public KernelVariant Variant { get; set; } = KernelVariant.Reference;

    /// <summary>Channels × side: the three stages of a CIFAR ResNet.</summary>
    [Params("16x32", "32x16", "64x8")]
    public string Stage { get; set; } = "16x32";

    private (int C, int Side) Parse() => ParsePair(Stage);

    private Pool2dGeometry Geometry(int k, int s, int p)
    {
        var (c, side) = Parse();
        return new Pool2dGeometry(N, c, side, side, k, k, s, s, p, p);
    }

    private DeviceBuffer X => Buffers[0];
    private DeviceBuffer GradX => Buffers[1];
    private DeviceBuffer Y => Buffers[2];
    private DeviceBuffer GradY => Buffers[3];
    private DeviceBuffer Indices3 => Buffers[4];
    private DeviceBuffer Indices2 => Buffers[5];

    [GlobalSetup]
    public void Setup()
    {
        Variants.UseThreads(Variant);
        (_max3, _max2, _avg2) = (Geometry(3, 2, 1), Geometry(2, 2, 0), Geometry(2, 2, 0));
        int input = N * _max3.C * _max3.H * _max3.W, output = N * _max3.C * _max3.OutH * _max3.OutW;
        (_x, _gy) = (Variants.Random(input, 1), Variants.Random(output, 2));
        _gyPooled = _gy[..(N * _max3.C)];
        // Each backward scatters through the indices of a real forward pass of its own geometry: the backward refuses an
        // index its forward could not have produced (2×2/2 has the 3×3/2/1 output size, but other windows).
        _indices3 = Kernels.Reference.Pooling.MaxPool2d(_max3, _x).Indices;
        _indices2 = Kernels.Reference.Pooling.MaxPool2d(_max2, _x).Indices;
        if (Variant == KernelVariant.Reference) return;
        Backend = Variants.Backend(Variant);
        Buffers = [Variants.Upload(Backend, _x), Backend.Allocate(input), Backend.Allocate(output), Variants.Upload(Backend, _gy),
                    Variants.Upload(Backend, _indices3), Variants.Upload(Backend, _indices2)];
    }

    public Work WorkPerOperation(string method)
    {
        var (c, side) = Parse();
        double input = 4.0 * N * c * side * side;
        double Out(Pool2dGeometry g) => 4.0 * N * c * g.OutH * g.OutW;
        double bytes = method switch
        {
            nameof(MaxPool3x3Forward) or nameof(MaxPool3x3Backward) => input + 2 * Out(Geometry(3, 2, 1)),
            nameof(MaxPool2x2Forward) or nameof(MaxPool2x2Backward) => input + 2 * Out(Geometry(2, 2, 0)),
            nameof(AvgPool2x2Forward) or nameof(AvgPool2x2Backward) => input + Out(Geometry(2, 2, 0)),
            _ => input + 4.0 * N * c,
        };
        return new(0, bytes, Variants.ThreadCount(Variant));
    }

    private bool Reference => Variant == KernelVariant.Reference;

    [Benchmark(Description = "max 3x3/2 p1 fwd")]
    public void MaxPool3x3Forward()
    {
        if (Reference) Kernels.Reference.Pooling.MaxPool2d(_max3, _x);
        else { Backend!.MaxPool2d(_max3, In(X, _max3), Out(Y, _max3), Out(Indices3, _max3)); Variants.Sync(Backend); }
    }

    [Benchmark(Description = "max 3x3/2 p1 bwd")]
    public void MaxPool3x3Backward()
    {
        if (Reference) Kernels.Reference.Pooling.MaxPool2dBackward(_max3, _gy, _indices3);
        else { Backend!.MaxPool2dBackward(_max3, Out(GradY, _max3), Out(Indices3, _max3), In(GradX, _max3)); Variants.Sync(Backend); }
    }

    [Benchmark(Description = "max 2x2/2 fwd")]
    public void MaxPool2x2Forward()
    {
        if (Reference) Kernels.Reference.Pooling.MaxPool2d(_max2, _x);
        else { Backend!.MaxPool2d(_max2, In(X, _max2), Out(Y, _max2), Out(Indices2, _max2)); Variants.Sync(Backend); }
    }

    [Benchmark(Description = "max 2x2/2 bwd")]
    public void MaxPool2x2Backward()
    {
        if (Reference) Kernels.Reference.Pooling.MaxPool2dBackward(_max2, _gy, _indices2);
        else { Backend!.MaxPool2dBackward(_max2, Out(GradY, _max2), Out(Indices2, _max2), In(GradX, _max2)); Variants.Sync(Backend); }
    }

    [Benchmark(Description = "avg 2x2/2 fwd")]
    public void AvgPool2x2Forward()
    {
        if (Reference) Kernels.Reference.Pooling.AvgPool2d(_avg2, _x);
        else { Backend!.AvgPool2d(_avg2, In(X, _avg2), Out(Y, _avg2)); Variants.Sync(Backend); }
    }

    [Benchmark(Description = "avg 2x2/2 bwd")]
    public void AvgPool2x2Backward()
    {
        if (Reference) Kernels.Reference.Pooling.AvgPool2dBackward(_avg2, _gy);
        else { Backend!.AvgPool2dBackward(_avg2, Out(GradY, _avg2), In(GradX, _avg2)); Variants.Sync(Backend); }
    }

    [Benchmark(Description = "global avg fwd")]
    public void GlobalAvgPoolForward()
    {
        var g = _max3;
        if (Reference) Kernels.Reference.Pooling.AdaptiveAvgPool2d(N, g.C, g.H, g.W, 1, 1, _x);
        else { Backend!.AdaptiveAvgPool2d(In(X, g), Variants.View(Y, N, g.C, 1, 1)); Variants.Sync(Backend); }
    }

    [Benchmark(Description = "global avg bwd")]
    public void GlobalAvgPoolBackward()
    {
        var g = _max3;
        if (Reference) Kernels.Reference.Pooling.AdaptiveAvgPool2dBackward(N, g.C, g.H, g.W, 1, 1, _gyPooled);
        else { Backend!.AdaptiveAvgPool2dBackward(Variants.View(GradY, N, g.C, 1, 1), In(GradX, g)); Variants.Sync(Backend); }
    }

    private static StridedView In(DeviceBuffer buffer, in Pool2dGeometry g) => Variants.View(buffer, g.InputShape());
    private static StridedView Out(DeviceBuffer buffer, in Pool2dGeometry g) => Variants.View(buffer, g.OutputShape());
}
