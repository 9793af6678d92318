using BenchmarkDotNet.Attributes;
using Tensorlet.Benchmarks.Infrastructure;
using Tensorlet.Kernels;
using Tensorlet.Kernels.Cpu;

namespace Tensorlet.Benchmarks.Convolution;

/// <summary>
/// Winograd F(2×2, 3×3) against im2col + GEMM (both pinned with <see cref="CpuConvolution.Algorithm"/>) on the 3×3
/// layers b, c and d at batch 64, 2 threads: the forward pass and the input gradient (a forward convolution of the
/// output gradient, so the same choice applies). Run with <c>--filter '*Winograd*'</c>; the ratio of the two
/// algorithms' times is what to read, as both see the same machine.
/// </summary>
[ThroughputColumns]
public class WinogradBenchmarks : IWorkload
{
    private const int Batch = 64;
    private ConvBuffers? _buffers;
    private ConvAlgorithms _saved;

    [Params(ConvAlgorithms.Im2col, ConvAlgorithms.Winograd)]
    public ConvAlgorithms Algorithm { get; set; } = ConvAlgorithms.Winograd;

    [Params("b", "c", "d")]
    public string Layer { get; set; } = "b";

    [GlobalSetup]
    public void Setup()
    {
        Threads.Count = 2;
        _saved = CpuConvolution.Algorithm;
        CpuConvolution.Algorithm = Algorithm;
        _buffers = new ConvBuffers(ConvLayers.Geometry(Layer, Batch));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        CpuConvolution.Algorithm = _saved;
        _buffers?.Dispose();
    }

    // The input gradient of these 'same' layers costs what the forward does.
    public Work WorkPerOperation(string method) => new(ConvLayers.Geometry(Layer, Batch).Flops, 0, Threads: 2);

    [Benchmark]
    public void Forward() => _buffers!.Forward();

    [Benchmark]
    public void BackwardInput() => _buffers!.BackwardInput();
}
