using BenchmarkDotNet.Attributes;
using Tensorlet.Benchmarks.Infrastructure;
using Tensorlet.Kernels.Cpu;

namespace Tensorlet.Benchmarks.Gemm;

/// <summary>
/// The GEMMs we keep, oldest first: the reference triple loop, then the packed SGEMM with each of its micro-kernels —
/// portable <c>Vector&lt;float&gt;</c> 4×2V, AVX2 6×16 (<c>Vector256</c>) and AVX-512 8×48 (<c>Vector512</c>). Same
/// packing and blocking around each kernel, so the differences are the register tile and the vector width. One thread,
/// so the kernels are compared with one core's peak and not with the threading.
/// </summary>
public enum GemmVariant
{
    Reference,
    CpuVector,
    CpuAvx2,
    CpuAvx512,
}

/// <summary>Every <see cref="GemmVariant"/> this CPU runs natively, side by side on square problems, one thread.</summary>
[ThroughputColumns]
public class SgemmVariantBenchmarks : IWorkload
{
    private float[] _a = [], _b = [], _c = [];

    [ParamsSource(nameof(Supported))]
    public GemmVariant Variant { get; set; } = GemmVariant.Reference;

    [Params(256, 512)]
    public int Size { get; set; } = 256;

    /// <summary>A micro-kernel the CPU lacks would fault, so only the native ones are listed.</summary>
    public static IEnumerable<GemmVariant> Supported =>
        Enum.GetValues<GemmVariant>().Where(v => v == GemmVariant.Reference || Sgemm.IsSupported(Kernel(v)));

    private static GemmKernels Kernel(GemmVariant variant) => variant switch
    {
        GemmVariant.CpuVector => GemmKernels.Portable,
        GemmVariant.CpuAvx2 => GemmKernels.Avx2,
        _ => GemmKernels.Avx512,
    };

    [GlobalSetup]
    public void Setup()
    {
        Threads.Count = 1;
        (_a, _b, _c) = GemmData.Square(Size);
    }

    public Work WorkPerOperation(string method) => new(2.0 * Size * Size * Size, 0, Threads: 1);

    [Benchmark]
    public void Gemm()
    {
        if (Variant == GemmVariant.Reference)
            Kernels.Reference.Gemm.Multiply(false, false, Size, Size, Size, 1f, _a, Size, _b, Size, 0f, _c, Size);
        else
            Sgemm.Multiply(false, false, Size, Size, Size, 1f, _a, Size, _b, Size, 0f, _c, Size, Kernel(Variant));
    }
}
