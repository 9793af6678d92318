using ILGPU;
using ILGPU.Runtime;

namespace Tensorlet.Kernels.Gpu;

/// <summary>
/// Gather and ScatterAdd along the middle axis of contiguous [outer, axis, inner] arrays, indices as floats. A kernel
/// cannot throw, and checking the indices on the host would copy them there; so a bad index is skipped and recorded in
/// a small device flag that the backend reads at its next synchronisation (as CUDA reports a device-side assert).
/// ScatterAdd gives each (outer, inner) column to one thread, which adds in index order: no atomics, deterministic sums.
/// </summary>
internal sealed class IndexingKernels
{
    internal const int GatherCode = 1, ScatterAddCode = 2, MaxPoolBackwardCode = 3;

    private readonly Action<AcceleratorStream, KernelConfig, IndexOperands, ArrayView<int>> _gather;
    private readonly Action<AcceleratorStream, KernelConfig, IndexOperands, ArrayView<int>> _scatterAdd;

    /// <summary>Every kernel this class loads, with its real parameter types (see <see cref="GpuKernelCatalog"/>).</summary>
    internal static Delegate[] EntryPoints =>
    [
        (Action<IndexOperands, ArrayView<int>>)GatherKernel,
        (Action<IndexOperands, ArrayView<int>>)ScatterAddKernel,
    ];

    public IndexingKernels(Accelerator accelerator)
    {
        _gather = accelerator.LoadKernel<IndexOperands, ArrayView<int>>(GatherKernel);
        _scatterAdd = accelerator.LoadKernel<IndexOperands, ArrayView<int>>(ScatterAddKernel);
    }

    internal struct IndexOperands
    {
        public ArrayView<float> Src, Index, Dst;
        public int SrcOffset, IndexOffset, DstOffset, Outer, Axis, Inner, K;
    }

    public void Gather(GpuBackend backend, DeviceBuffer src, int srcOffset, int outer, int axis, int inner,
                       DeviceBuffer index, int indexOffset, int k, DeviceBuffer dst, int dstOffset)
    {
        long count = (long)outer * k * inner;
        if (count == 0) return;
        var operands = Operands(src, srcOffset, index, indexOffset, dst, dstOffset, outer, axis, inner, k);
        _gather(backend.Stream, backend.Launch(count), operands, backend.IndexErrorFlag());
    }

    public void ScatterAdd(GpuBackend backend, DeviceBuffer src, int srcOffset, int outer, int k, int inner,
                           DeviceBuffer index, int indexOffset, int axis, DeviceBuffer dst, int dstOffset)
    {
        long columns = (long)outer * inner;
        if (columns == 0 || k == 0) return;
        var operands = Operands(src, srcOffset, index, indexOffset, dst, dstOffset, outer, axis, inner, k);
        _scatterAdd(backend.Stream, backend.Launch(columns), operands, backend.IndexErrorFlag());
    }

    private static IndexOperands Operands(DeviceBuffer src, int srcOffset, DeviceBuffer index, int indexOffset,
                                          DeviceBuffer dst, int dstOffset, int outer, int axis, int inner, int k) => new()
    {
        Src = GpuBackend.View(src), Index = GpuBackend.View(index), Dst = GpuBackend.View(dst),
        SrcOffset = srcOffset, IndexOffset = indexOffset, DstOffset = dstOffset, Outer = outer, Axis = axis, Inner = inner, K = k,
    };

    private static void GatherKernel(IndexOperands p, ArrayView<int> error)
    {
        int count = p.Outer * p.K * p.Inner;
        for (int t = Grid.GlobalIndex.X; t < count; t += Grid.DimX * Group.DimX)
        {
            int i = t % p.Inner, o = t / p.Inner / p.K;
            float v = p.Index[p.IndexOffset + t];
            if (!Valid(v, p.Axis)) { Report(error, GatherCode, v, p.Axis, t); continue; }
            p.Dst[p.DstOffset + t] = p.Src[p.SrcOffset + (o * p.Axis + (int)v) * p.Inner + i];
        }
    }

    private static void ScatterAddKernel(IndexOperands p, ArrayView<int> error)
    {
        int columns = p.Outer * p.Inner;
        for (int t = Grid.GlobalIndex.X; t < columns; t += Grid.DimX * Group.DimX)
        {
            int o = t / p.Inner, i = t % p.Inner;
            for (int j = 0; j < p.K; j++)
            {
                int at = (o * p.K + j) * p.Inner + i;
                float v = p.Index[p.IndexOffset + at];
                if (!Valid(v, p.Axis)) { Report(error, ScatterAddCode, v, p.Axis, at); continue; }
                p.Dst[p.DstOffset + (o * p.Axis + (int)v) * p.Inner + i] += p.Src[p.SrcOffset + at];
            }
        }
    }

    private static bool Valid(float v, int axis) => v >= 0f && v < axis && v == (int)v;

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
