namespace Tensorlet.Kernels;

/// <summary>
/// A Reduce call's operands as a kernel walks them: src as [outer, axis, inner] and dst as [outer, 1, inner], each with
/// an offset and strides (<see cref="AxisLayout"/>). The dims are taken in src's own order, else in the order its
/// elements lie in memory — so reducing dim 0 of a transposed matrix reads its rows where they are. Only when neither
/// order gives a layout the kernel accepts is an operand opened through <see cref="DenseOperand"/>: the output alone
/// (into dense scratch in src's memory order) when src can be walked, else both.
/// </summary>
/// <param name="SrcOperand">src's dense copy, when the kernel reads one; released by <see cref="Dispose"/>.</param>
/// <param name="DstOperand">dst's dense scratch, when the kernel writes one; stored by <see cref="Complete"/>.</param>
internal readonly record struct ReduceOperands(int Outer, int Axis, int Inner, DeviceBuffer SrcBuffer, AxisStrides Src,
                                               DeviceBuffer DstBuffer, AxisStrides Dst,
                                               DenseOperand SrcOperand = default, DenseOperand DstOperand = default) : IDisposable
{
    /// <summary>
    /// Opens checked operands. <paramref name="denseInner"/>: the kernel needs the inner part dense in both operands
    /// and, when there is no inner part, the axis dense in src (the CPU's vector loops); otherwise any strides do.
    /// </summary>
    public static ReduceOperands Open(IBackend backend, in StridedView src, int axis, in StridedView dst, bool denseInner)
    {
        if (TryWalk(src, axis, dst, denseInner, out var walk)) return walk;
        var order = AxisLayout.MemoryOrder(src);
        int memoryAxis = Array.IndexOf(order, axis);
        var inMemory = AxisLayout.Permute(src, order);
        var dstInMemory = AxisLayout.Permute(dst, order);
        if (TryWalk(inMemory, memoryAxis, dstInMemory, denseInner, out walk)) return walk;
        if (TryWalk(inMemory, memoryAxis, StridedView.Contiguous(dst.Buffer, 0, dstInMemory.Shape), denseInner, out _))
        {
            var scratch = DenseOperand.Write(backend, dstInMemory);
            TryWalk(inMemory, memoryAxis, scratch.View, denseInner, out walk);
            return walk with { DstOperand = scratch };
        }
        var denseSrc = DenseOperand.Read(backend, src);
        try
        {
            var denseDst = DenseOperand.Write(backend, dst);
            TryWalk(denseSrc.View, axis, denseDst.View, denseInner, out walk);
            return walk with { SrcOperand = denseSrc, DstOperand = denseDst };
        }
        catch
        {
            denseSrc.Dispose();
            throw;
        }
    }

    private static bool TryWalk(in StridedView src, int axis, in StridedView dst, bool denseInner, out ReduceOperands walk)
    {
        Span<AxisStrides> merged = stackalloc AxisStrides[2];
        walk = default;
        if (!AxisLayout.TryMerge(axis, [src, dst], out int outer, out int inner, merged)) return false;
        int length = src.Shape[axis];
        AxisStrides s = merged[0], d = merged[1];
        if (denseInner && (inner > 1 ? s.Inner != 1 || d.Inner != 1 : length > 1 && s.Axis != 1)) return false;
        walk = new ReduceOperands(outer, length, inner, src.Buffer, s, dst.Buffer, d);
        return true;
    }

    /// <summary>Stores the result in the caller's dst when the kernel wrote scratch. Call once the kernel has run.</summary>
    public void Complete() => DstOperand.Complete();

    public void Dispose()
    {
        SrcOperand.Dispose();
        DstOperand.Dispose();
    }
}
