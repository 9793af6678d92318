using ILGPU;
using ILGPU.Runtime;

namespace Tensorlet.Kernels.Gpu;

/// <summary>
/// Reductions over the middle axis of an [outer, axis, inner] array, each operand walked through its own strides
/// (<see cref="AxisStrides"/>), so any layout <see cref="ReduceOperands"/> merges is read where it lies. One thread per
/// output walks its axis in order, so results are deterministic. When there are few outputs and a long axis (a bias
/// gradient: 64 channels, 65,536 positions) that would leave the device idle, so Sum/Max/Min first reduce chunks of the
/// axis into a pooled dense [outer, chunks, inner] buffer, then reduce the chunks — two launches, each with enough threads.
/// </summary>
internal sealed class ReductionKernels
{
    private const int ChunkLength = 256;
    private readonly Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ReduceShape> _reduce;

    /// <summary>Every kernel this class loads, with its real parameter types (see <see cref="GpuKernelCatalog"/>).</summary>
    internal static Delegate[] EntryPoints =>
    [
        (Action<ArrayView<float>, ArrayView<float>, ReduceShape>)ReduceKernel,
    ];

    public ReductionKernels(Accelerator accelerator) =>
        _reduce = accelerator.LoadKernel<ArrayView<float>, ArrayView<float>, ReduceShape>(ReduceKernel);

    internal struct ReduceShape
    {
        public int Op, Outer, Axis, Inner;
        public int SrcOffset, SrcOuter, SrcAxis, SrcInner, DstOffset, DstOuter, DstInner;
        public float Scale;
    }

    /// <summary>The dense form: contiguous [outer, axis, inner] at srcOffset into contiguous [outer, inner] at dstOffset.</summary>
    public void Run(GpuBackend backend, ReduceOp op, DeviceBuffer src, int srcOffset, int outer, int axis, int inner,
                    DeviceBuffer dst, int dstOffset, float scale) =>
        Run(backend, op, src, AxisStrides.Dense(srcOffset, axis, inner), outer, axis, inner, dst, AxisStrides.Dense(dstOffset, 1, inner), scale);

    public void Run(GpuBackend backend, ReduceOp op, DeviceBuffer src, AxisStrides s, int outer, int axis, int inner,
                    DeviceBuffer dst, AxisStrides d, float scale)
    {
        long outputs = (long)outer * inner;
        if (outputs == 0) return;
        bool chunk = op is ReduceOp.Sum or ReduceOp.Max or ReduceOp.Min && axis >= 4 * ChunkLength && outputs < 16 * backend.GroupSize * 32;
        if (!chunk)
        {
            Launch(backend, op, GpuBackend.View(src), s, outer, axis, inner, GpuBackend.View(dst), d, scale);
            return;
        }
        int chunks = (axis + ChunkLength - 1) / ChunkLength;
        using var partial = backend.Allocate(outer * chunks * inner);
        var partialView = GpuBackend.View(partial);
        // Chunk c of output (o, i) sums axis positions [c·L, min((c+1)·L, axis)): a [outer·chunks, L, inner] reduction,
        // except that the last chunk is short — the kernel bounds each chunk by the true axis length.
        LaunchChunks(backend, op, GpuBackend.View(src), s, outer, axis, inner, chunks, partialView);
        Launch(backend, op, partialView, AxisStrides.Dense(0, chunks, inner), outer, chunks, inner, GpuBackend.View(dst), d, scale);
    }

    private void Launch(GpuBackend backend, ReduceOp op, ArrayView<float> src, AxisStrides s, int outer, int axis, int inner,
                        ArrayView<float> dst, AxisStrides d, float scale)
    {
        var shape = Shape((int)op, s, outer, axis, inner, d, scale);
        _reduce(backend.Stream, backend.Launch((long)outer * inner), src, dst, shape);
    }

    // Encodes "chunked" as a negative op so one compiled kernel serves both passes; the partials are dense [outer·chunks, inner].
    private void LaunchChunks(GpuBackend backend, ReduceOp op, ArrayView<float> src, AxisStrides s, int outer, int axis, int inner,
                              int chunks, ArrayView<float> partial)
    {
        var shape = Shape(-1 - (int)op, s, outer * chunks, axis, inner, AxisStrides.Dense(0, 1, inner), 1f);
        _reduce(backend.Stream, backend.Launch((long)outer * chunks * inner), src, partial, shape);
    }

    private static ReduceShape Shape(int op, AxisStrides s, int outer, int axis, int inner, AxisStrides d, float scale) => new()
    {
        Op = op, Outer = outer, Axis = axis, Inner = inner, Scale = scale,
        SrcOffset = s.Offset, SrcOuter = s.Outer, SrcAxis = s.Axis, SrcInner = s.Inner,
        DstOffset = d.Offset, DstOuter = d.Outer, DstInner = d.Inner,
    };

    private static void ReduceKernel(ArrayView<float> src, ArrayView<float> dst, ReduceShape s)
    {
        bool chunked = s.Op < 0;
        int op = chunked ? -1 - s.Op : s.Op;
        int outputs = s.Outer * s.Inner;
        for (int t = Grid.GlobalIndex.X; t < outputs; t += Grid.DimX * Group.DimX)
        {
            int o = t / s.Inner, i = t % s.Inner;
            int begin = 0, end = s.Axis, row = o;
            if (chunked)
            {
                // Here Outer counts (outer, chunk) pairs and Axis is the full axis length.
                int chunks = (s.Axis + ChunkLength - 1) / ChunkLength;
                row = o / chunks;
                begin = o % chunks * ChunkLength;
                end = begin + ChunkLength < s.Axis ? begin + ChunkLength : s.Axis;
            }
            int at = s.SrcOffset + row * s.SrcOuter + i * s.SrcInner;
            float sum = 0f, best = end > begin ? src[at + begin * s.SrcAxis] : 0f;
            int bestAt = begin;
            for (int j = begin; j < end; j++)
            {
                float x = src[at + j * s.SrcAxis];
                sum += x;
                bool better = op == (int)ReduceOp.Max || op == (int)ReduceOp.ArgMax ? x > best : x < best;
                // NaN wins (the first one) and ties keep the first index, as the CPU kernels and PyTorch.
                if (better || (float.IsNaN(x) && !float.IsNaN(best)))
                {
                    best = x;
                    bestAt = j;
                }
            }
            float result;
            if (op == (int)ReduceOp.Sum) result = sum * s.Scale;
            else if (op == (int)ReduceOp.Max || op == (int)ReduceOp.Min) result = best;
            else result = bestAt;
            dst[s.DstOffset + o * s.DstOuter + i * s.DstInner] = result;
        }
    }
}
