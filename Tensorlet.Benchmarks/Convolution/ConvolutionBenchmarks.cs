using BenchmarkDotNet.Attributes;
using Tensorlet.Benchmarks.Infrastructure;
using Tensorlet.Kernels;
using Tensorlet.Kernels.Cpu;

namespace Tensorlet.Benchmarks.Convolution;

/// <summary>
/// CPU convolution kernels on six layer shapes at batch 32, 'same' padding, NCHW float32, 2 threads: forward, and
/// forward + backward (input, weight and bias gradients) counted as 3× the forward FLOPs. The cases and the
/// libtorch 2.10 (oneDNN, 2 threads) figures they are compared with are listed in docs/performance.md.
/// </summary>
[ThroughputColumns]
public class ConvolutionBenchmarks : IWorkload
{
    private ConvBuffers? _buffers;

    /// <summary>a 3→64 32² 3×3, b 64→64 32² 3×3, c 128→128 16² 3×3, d 256→256 8² 3×3, e 64→256 32² 1×1, f 128→128 16² 3×3 g32; then
    /// the layers of ResNet-20 and DenseNet-BC-100 (<see cref="ConvLayers"/>).</summary>
    [ParamsSource(nameof(Cases))]
    public string Case { get; set; } = "a";

    public static IEnumerable<string> Cases => ConvLayers.Names;

    public static Conv2dGeometry Geometry(string name, int batch = 32) => ConvLayers.Geometry(name, batch);

    [GlobalSetup]
    public void Setup()
    {
        Threads.Count = 2;
        _buffers = new ConvBuffers(Geometry(Case));
    }

    [GlobalCleanup]
    public void Cleanup() => _buffers?.Dispose();

    public Work WorkPerOperation(string method) =>
        new((method == nameof(ForwardBackward) ? 3 : 1) * Geometry(Case).Flops, 0, Threads: 2);

    [Benchmark]
    public void Forward() => _buffers!.Forward();

    [Benchmark]
    public void ForwardBackward()
    {
        _buffers!.Forward();
        _buffers.Backward();
    }
}

/// <summary>Seeded operands and gradients of one geometry on the CPU backend.</summary>
internal sealed class ConvBuffers : IDisposable
{
    private static CpuBackend Cpu => CpuBackend.Instance;
    private readonly Conv2dGeometry _g;

    public ConvBuffers(Conv2dGeometry g)
    {
        _g = g;
        var rng = new Random(42);
        long input = (long)g.N * g.C * g.H * g.W, output = (long)g.N * g.K * g.OutH * g.OutW, weights = (long)g.K * g.GroupC * g.KH * g.KW;
        X = Make(input, rng); W = Make(weights, rng); B = Make(g.K, rng); Y = Make(output, rng); GradY = Make(output, rng);
        GradX = Make(input, rng); GradW = Make(weights, rng); GradB = Make(g.K, rng);
    }

    public DeviceBuffer X { get; }
    public DeviceBuffer W { get; }
    public DeviceBuffer B { get; }
    public DeviceBuffer Y { get; }
    public DeviceBuffer GradY { get; }
    public DeviceBuffer GradX { get; }
    public DeviceBuffer GradW { get; }
    public DeviceBuffer GradB { get; }

    public void Forward() =>
        Cpu.Conv2d(_g, Variants.View(X, _g.InputShape()), Variants.View(W, _g.WeightShape()), Variants.View(B, _g.K), Variants.View(Y, _g.OutputShape()));

    public void Backward()
    {
        BackwardInput();
        BackwardWeight();
    }

    public void BackwardInput() =>
        Cpu.Conv2dBackwardInput(_g, Variants.View(GradY, _g.OutputShape()), Variants.View(W, _g.WeightShape()), Variants.View(GradX, _g.InputShape()));

    public void BackwardWeight() =>
        Cpu.Conv2dBackwardWeight(_g, Variants.View(X, _g.InputShape()), Variants.View(GradY, _g.OutputShape()), Variants.View(GradW, _g.WeightShape()),
                                 Variants.View(GradB, _g.K));

    public float[] Host(DeviceBuffer buffer)
    {
        var host = new float[buffer.Length];
        Cpu.Download(buffer, 0, host);
        return host;
    }

    public void Dispose()
    {
        foreach (var b in new[] { X, W, B, Y, GradY, GradX, GradW, GradB }) b.Dispose();
    }

    private static DeviceBuffer Make(long length, Random rng)
    {
        var host = new float[length];
        for (int i = 0; i < host.Length; i++) host[i] = (float)(rng.NextDouble() * 2 - 1);
        var buffer = Cpu.Allocate((int)length);
        Cpu.Upload(host, buffer, 0);
        return buffer;
    }
}
