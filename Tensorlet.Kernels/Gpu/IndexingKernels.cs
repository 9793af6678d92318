using ILGPU;
using ILGPU.Runtime;

namespace Tensorlet.Kernels.Gpu;

/// <summary>
/// Gather and ScatterAdd along the middle axis of [outer, axis, inner] arrays, each operand walked through its own
/// strides (<see cref="AxisStrides"/>), indices as floats. A kernel cannot throw, and checking the indices on the host
/// would copy them there; so a bad index is skipped and recorded in a small device flag that the backend reads at its
/// next synchronisation (as CUDA reports a device-side assert). ScatterAdd gives each (outer, inner) column to one
/// thread, which adds in index order: no atomics, deterministic sums. Positions in error reports count the index
/// operand row-major, as every backend does.
/// </summary>
internal sealed class IndexingKernels
{
    internal const int GatherCode = 1, ScatterAddCode = 2, MaxPoolBackwardCode = 3;

    private readonly Action<AcceleratorStream, KernelConfig, IndexArgs, ArrayView<int>> _gather;
    private readonly Action<AcceleratorStream, KernelConfig, IndexArgs, ArrayView<int>> _scatterAdd;

    /// <summary>Every kernel this class loads, with its real parameter types (see <see cref="GpuKernelCatalog"/>).</summary>
    internal static Delegate[] EntryPoints =>
    [
        (Action<IndexArgs, ArrayView<int>>)GatherKernel,
        (Action<IndexArgs, ArrayView<int>>)ScatterAddKernel,
    ];

    public IndexingKernels(Accelerator accelerator)
    {
        _gather = accelerator.LoadKernel<IndexArgs, ArrayView<int>>(GatherKernel);
        _scatterAdd = accelerator.LoadKernel<IndexArgs, ArrayView<int>>(ScatterAddKernel);
    }

    /// <summary>The three operands and their strides; Axis is the length of src's (Gather) or dst's (ScatterAdd) axis.</summary>
    internal struct IndexArgs
    {
        public ArrayView<float> Src, Index, Dst;
        public int Outer, Axis, Inner, K;
        public int SrcOffset, SrcOuter, SrcAxis, SrcInner;
        public int IndexOffset, IndexOuter, IndexAxis, IndexInner;
        public int DstOffset, DstOuter, DstAxis, DstInner;
    }

    public void Gather(GpuBackend backend, in Kernels.IndexOperands x, int axis, int k)
    {
        long count = (long)x.Outer * k * x.Inner;
        if (count == 0) return;
        _gather(backend.Stream, backend.Launch(count), Operands(x, axis, k), backend.IndexErrorFlag());
    }

    public void ScatterAdd(GpuBackend backend, in Kernels.IndexOperands x, int k, int axis)
    {
        long columns = (long)x.Outer * x.Inner;
        if (columns == 0 || k == 0) return;
        _scatterAdd(backend.Stream, backend.Launch(columns), Operands(x, axis, k), backend.IndexErrorFlag());
    }

    private static IndexArgs Operands(in Kernels.IndexOperands x, int axis, int k) => new()
    {
        Src = GpuBackend.View(x.SrcView.Buffer), Index = GpuBackend.View(x.IndexView.Buffer), Dst = GpuBackend.View(x.DstView.Buffer),
        Outer = x.Outer, Axis = axis, Inner = x.Inner, K = k,
        SrcOffset = x.Src.Offset, SrcOuter = x.Src.Outer, SrcAxis = x.Src.Axis, SrcInner = x.Src.Inner,
        IndexOffset = x.Index.Offset, IndexOuter = x.Index.Outer, IndexAxis = x.Index.Axis, IndexInner = x.Index.Inner,
        DstOffset = x.Dst.Offset, DstOuter = x.Dst.Outer, DstAxis = x.Dst.Axis, DstInner = x.Dst.Inner,
    };

    private static void GatherKernel(IndexArgs p, ArrayView<int> error)
    {
        int count = p.Outer * p.K * p.Inner;
        for (int t = Grid.GlobalIndex.X; t < count; t += Grid.DimX * Group.DimX)
        {
            int i = t % p.Inner, j = t / p.Inner % p.K, o = t / p.Inner / p.K;
            float v = p.Index[p.IndexOffset + o * p.IndexOuter + j * p.IndexAxis + i * p.IndexInner];
            if (!Valid(v, p.Axis)) { Report(error, GatherCode, v, p.Axis, t); continue; }
            p.Dst[p.DstOffset + o * p.DstOuter + j * p.DstAxis + i * p.DstInner] = p.Src[p.SrcOffset + o * p.SrcOuter + (int)v * p.SrcAxis + i * p.SrcInner];
        }
    }

    private static void ScatterAddKernel(IndexArgs p, ArrayView<int> error)
    {
        int columns = p.Outer * p.Inner;
        for (int t = Grid.GlobalIndex.X; t < columns; t += Grid.DimX * Group.DimX)
        {
            int o = t / p.Inner, i = t % p.Inner;
            for (int j = 0; j < p.K; j++)
            {
                float v = p.Index[p.IndexOffset + o * p.IndexOuter + j * p.IndexAxis + i * p.IndexInner];
                if (!Valid(v, p.Axis)) { Report(error, ScatterAddCode, v, p.Axis, (o * p.K + j) * p.Inner + i); continue; }
                p.Dst[p.DstOffset + o * p.DstOuter + (int)v * p.DstAxis + i * p.DstInner] += p.Src[p.SrcOffset + o * p.SrcOuter + j * p.SrcAxis + i * p.SrcInner];
            }
        }
    }

    /// <summary>An index the kernels accept: an integer in [0, axis), written so that NaN is refused.</summary>
    internal static bool Valid(float v, int axis) => v >= 0f && v < axis && v == (int)v;

    /// <summary>
    /// Records a bad index in the backend's flag (<see cref="GpuBackend.IndexErrorFlag"/>): the first failure wins, slot 0
    /// takes the op code once, then the value and two op-specific numbers are stored beside it.
    /// </summary>
    internal static void Report(ArrayView<int> error, int code, float value, int a, int b = 0)
    {
        if (Atomic.CompareExchange(ref error[0], 0, code) != 0) return;
        error[1] = (int)Interop.FloatAsInt(value);
        error[2] = a;
        error[3] = b;
    }
}
