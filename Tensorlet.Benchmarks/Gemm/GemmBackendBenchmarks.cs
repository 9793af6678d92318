using BenchmarkDotNet.Attributes;
using Tensorlet.Benchmarks.Infrastructure;
using Tensorlet.Kernels;

namespace Tensorlet.Benchmarks.Gemm;

/// <summary>
/// IBackend.Gemm on square problems on every backend this machine has — the CPU (all cores) and, where a GPU exists, the
/// ILGPU backend (tiled shared-memory SGEMM) — so CPU and GPU sit in one table. 4096³ is the size issue 5 compares with
/// cuBLAS. 2·n³ FLOP per operation; GPU timings include waiting for the kernel to finish.
/// </summary>
[ThroughputColumns]
public class GemmBackendBenchmarks : DeviceBenchmark, IWorkload
{

    [ParamsSource(nameof(Backends))]
    public KernelVariant Variant { get; set; } = KernelVariant.Cpu;

    [Params(512, 1024, 4096)]
    public int Size { get; set; } = 512;

    public static IEnumerable<KernelVariant> Backends => Variants.Available.Where(v => v != KernelVariant.Reference);

    [GlobalSetup]
    public void Setup()
    {
        Variants.UseThreads(Variant);
        Backend = Variants.Backend(Variant);
        var (a, b, c) = GemmData.Square(Size);
        Buffers = [Variants.Upload(Backend, a), Variants.Upload(Backend, b), Variants.Upload(Backend, c)];
    }

    public Work WorkPerOperation(string method) => new(2.0 * Size * Size * Size, 0, Variants.ThreadCount(Variant));

    [Benchmark]
    public void Gemm()
    {
        Backend!.Gemm(1f, Square(0), Square(1), 0f, Square(2));
        Variants.Sync(Backend);
    }

    private StridedView Square(int i) => StridedView.Contiguous(Buffers[i], 0, [Size, Size]);
}
