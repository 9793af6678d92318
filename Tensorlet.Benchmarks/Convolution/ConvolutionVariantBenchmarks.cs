using BenchmarkDotNet.Attributes;
using Tensorlet.Benchmarks.Infrastructure;
using Tensorlet.Kernels;

namespace Tensorlet.Benchmarks.Convolution;

/// <summary>
/// The convolution algorithms side by side: the direct seven-loop reference (one thread), im2col into memory + SGEMM
/// (<see cref="Im2colGemmConvolution"/>, the textbook route), and the CPU backend (lowering fused into the GEMM packing,
/// 1×1 layers straight to GEMM, grouped layers as per-group GEMMs, batch-parallel), and the GPU backend where a GPU exists.
/// </summary>
public enum ConvVariant
{
    Reference,
    Im2colGemm,
    Cpu,
    Gpu,
}

/// <summary>
/// Every <see cref="ConvVariant"/> on every layer of <see cref="ConvLayers"/> (cases a–f, ResNet-20, DenseNet-BC-100),
/// forward and forward+backward (input, weight and bias gradients; 3× the forward FLOPs). Batch 2, so the reference
/// finishes; <see cref="ConvolutionBenchmarks"/> runs the backend at batch 32.
/// </summary>
[ThroughputColumns]
public class ConvolutionVariantBenchmarks : DeviceBenchmark, IWorkload
{
    private const int Batch = 2;
    private Conv2dGeometry _g;
    private float[] _x = [], _w = [], _b = [], _y = [], _gy = [], _gx = [], _gw = [], _gb = [];
    private Im2colGemmConvolution? _im2col;

    [ParamsSource(nameof(Available))]
    public ConvVariant Variant { get; set; } = ConvVariant.Reference;

    public static IEnumerable<ConvVariant> Available =>
        Variants.GpuDevice == null ? [ConvVariant.Reference, ConvVariant.Im2colGemm, ConvVariant.Cpu] : Enum.GetValues<ConvVariant>();

    [ParamsSource(nameof(Layers))]
    public string Layer { get; set; } = "a";

    public static IEnumerable<string> Layers => ConvLayers.Names;

    private int ThreadCount => Variant == ConvVariant.Reference ? 1 : Environment.ProcessorCount;

    [GlobalSetup]
    public void Setup()
    {
        Threads.Count = ThreadCount;
        _g = ConvLayers.Geometry(Layer, Batch);
        int input = _g.N * _g.C * _g.H * _g.W, output = _g.N * _g.K * _g.OutH * _g.OutW, weights = _g.K * _g.GroupC * _g.KH * _g.KW;
        (_x, _w, _b, _gy) = (Variants.Random(input, 1), Variants.Random(weights, 2), Variants.Random(_g.K, 3), Variants.Random(output, 4));
        (_y, _gx, _gw, _gb) = (new float[output], new float[input], new float[weights], new float[_g.K]);
        if (Variant == ConvVariant.Im2colGemm) _im2col = new Im2colGemmConvolution(_g);
        if (Variant is ConvVariant.Cpu or ConvVariant.Gpu)
        {
            Backend = Variants.Backend(Variant == ConvVariant.Cpu ? KernelVariant.Cpu : KernelVariant.Gpu);
            Buffers = [.. new[] { _x, _w, _b, _y, _gy, _gx, _gw, _gb }.Select(h => Variants.Upload(Backend, h))];
        }
    }

    public Work WorkPerOperation(string method) =>
        new((method == nameof(ForwardBackward) ? 3 : 1) * ConvLayers.Geometry(Layer, Batch).Flops, 0, ThreadCount);

    [Benchmark]
    public void Forward()
    {
        switch (Variant)
        {
            case ConvVariant.Reference: _y = Kernels.Reference.Conv2d.Forward(_g, _x, _w, _b); break;
            case ConvVariant.Im2colGemm: _im2col!.Forward(_x, _w, _b, _y); break;
            default:
                var (x, w, b, y) = (Buffers[0], Buffers[1], Buffers[2], Buffers[3]);
                Backend!.Conv2d(_g, Variants.View(x, _g.InputShape()), Variants.View(w, _g.WeightShape()), Variants.View(b, _g.K),
                                Variants.View(y, _g.OutputShape()));
                Variants.Sync(Backend);
                break;
        }
    }

    [Benchmark]
    public void ForwardBackward()
    {
        Forward();
        switch (Variant)
        {
            case ConvVariant.Reference:
                _gx = Kernels.Reference.Conv2d.BackwardInput(_g, _gy, _w);
                (_gw, _gb) = Kernels.Reference.Conv2d.BackwardWeight(_g, _x, _gy);
                break;
            case ConvVariant.Im2colGemm:
                _im2col!.BackwardInput(_gy, _w, _gx);
                _im2col.BackwardWeight(_x, _gy, _gw, _gb);
                break;
            default:
                var (x, w, gy, gx, gw, gb) = (Buffers[0], Buffers[1], Buffers[4], Buffers[5], Buffers[6], Buffers[7]);
                var (gyv, wv) = (Variants.View(gy, _g.OutputShape()), Variants.View(w, _g.WeightShape()));
                Backend!.Conv2dBackwardInput(_g, gyv, wv, Variants.View(gx, _g.InputShape()));
                Backend.Conv2dBackwardWeight(_g, Variants.View(x, _g.InputShape()), gyv, Variants.View(gw, _g.WeightShape()), Variants.View(gb, _g.K));
                Variants.Sync(Backend);
                break;
        }
    }
}
