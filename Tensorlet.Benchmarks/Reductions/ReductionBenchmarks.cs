using BenchmarkDotNet.Attributes;
using Tensorlet.Benchmarks.Infrastructure;
using Tensorlet.Kernels;

namespace Tensorlet.Benchmarks.Reductions;

/// <summary>
/// Reductions of a [4096, 4096] matrix (16M floats, 64 MiB), reference loops (double accumulators, one thread) against
/// the CPU backend: the sum of everything, per-row sums (a contiguous axis, like a loss over classes), per-column sums
/// (a strided axis, like a bias gradient over the batch), and the row maximum and its index. All are memory-bound: GB/s
/// counts the matrix read once plus the outputs.
/// </summary>
[ThroughputColumns]
public class ReductionBenchmarks : IWorkload
{
    private const int Rows = 4096, Cols = 4096;
    private float[] _x = [];
    private IBackend? _backend;
    private DeviceBuffer? _src, _dst;

    [ParamsSource(typeof(Variants), nameof(Variants.Available))]
    public KernelVariant Variant { get; set; } = KernelVariant.Reference;

    [GlobalSetup]
    public void Setup()
    {
        Variants.UseThreads(Variant);
        _x = Variants.Random(Rows * Cols, 1);
        if (Variant == KernelVariant.Reference) return;
        _backend = Variants.Backend(Variant);
        _src = Variants.Upload(_backend, _x);
        _dst = _backend.Allocate(Math.Max(Rows, Cols));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _src?.Dispose();
        _dst?.Dispose();
    }

    public Work WorkPerOperation(string method)
    {
        double outputs = method switch { nameof(SumAll) => 1, nameof(SumColumns) => Cols, _ => Rows };
        return new((double)Rows * Cols, 4.0 * ((double)Rows * Cols + outputs), Variants.ThreadCount(Variant));
    }

    [Benchmark]
    public void SumAll() => Run(ReduceOp.Sum, 1, Rows * Cols, 1);

    [Benchmark]
    public void SumRows() => Run(ReduceOp.Sum, Rows, Cols, 1);

    [Benchmark]
    public void SumColumns() => Run(ReduceOp.Sum, 1, Rows, Cols);

    [Benchmark]
    public void MaxRows() => Run(ReduceOp.Max, Rows, Cols, 1);

    [Benchmark]
    public void ArgMaxRows() => Run(ReduceOp.ArgMax, Rows, Cols, 1);

    private void Run(ReduceOp op, int outer, int axis, int inner)
    {
        if (Variant == KernelVariant.Reference) Kernels.Reference.Reduce.Run(op, _x, outer, axis, inner);
        else
        {
            _backend!.Reduce(op, StridedView.Contiguous(_src!, 0, [outer, axis, inner]), 1, StridedView.Contiguous(_dst!, 0, [outer, 1, inner]));
            Variants.Sync(_backend);
        }
    }
}
