namespace Tensorlet.Kernels;

/// <summary>
/// The operands of a Gather or ScatterAdd as a kernel walks them: src, index and dst each as an [outer, ·, inner]
/// array with its own offset and strides (<see cref="AxisLayout"/>). Kernels get the caller's views as they are
/// whenever their dims merge around the axis; otherwise each operand is opened through <see cref="DenseOperand"/>. An accumulating dst (ScatterAdd) is read into its copy first and
/// copied back by <see cref="Complete"/>, so its contents are kept.
/// </summary>
/// <param name="Backend">The backend that copies an accumulated dst back; null when nothing was copied.</param>
/// <param name="SrcView">The view the kernel reads src from: the caller's, or a dense copy of it (as for index and dst).</param>
/// <param name="SrcOperand">src's dense copy when one was made (as for index and dst); released by <see cref="Dispose"/>.</param>
/// <param name="Target">The caller's dst, which <see cref="Complete"/> stores the result in.</param>
/// <param name="Accumulates">dst is added into (ScatterAdd), so its contents were read into its copy.</param>
internal readonly record struct IndexOperands(IBackend? Backend, int Outer, int Inner,
                                              StridedView SrcView, StridedView IndexView, StridedView DstView,
                                              AxisStrides Src, AxisStrides Index, AxisStrides Dst,
                                              DenseOperand SrcOperand, DenseOperand IndexOperand, DenseOperand DstOperand,
                                              StridedView Target, bool Accumulates) : IDisposable
{
    /// <summary>
    /// Gather (or, <paramref name="accumulates"/>, ScatterAdd) as every backend runs it: the shared checks, nothing more
    /// for an empty call, else <paramref name="kernel"/> over the opened operands and the result stored in dst.
    /// </summary>
    public static void Run(IBackend backend, in StridedView src, in StridedView index, int axis, in StridedView dst, bool accumulates,
                           IndexKernel kernel)
    {
        if (accumulates) OperationChecks.ScatterAdd(backend, src, index, axis, dst);
        else OperationChecks.Gather(backend, src, index, axis, dst);
        // Gather writes dst's elements; ScatterAdd adds src's.
        if ((accumulates ? src : dst).Count == 0) return;
        using var x = Open(backend, src, index, dst, axis, accumulates);
        kernel(x, src.Shape[axis], dst.Shape[axis]);
        x.Complete();
    }

    /// <summary>
    /// Opens checked operands along <paramref name="axis"/>. <paramref name="accumulates"/>: dst is added into (ScatterAdd).
    /// </summary>
    public static IndexOperands Open(IBackend backend, in StridedView src, in StridedView index, in StridedView dst, int axis, bool accumulates)
    {
        var strides = new AxisStrides[3];
        if (AxisLayout.TryMerge(axis, [src, index, dst], out int outer, out int inner, strides))
            return new IndexOperands(null, outer, inner, src, index, dst, strides[0], strides[1], strides[2],
                                     default, default, default, dst, accumulates);
        var s = DenseOperand.Read(backend, src);
        var x = default(DenseOperand);
        var d = default(DenseOperand);
        try
        {
            x = DenseOperand.Read(backend, index);
            d = accumulates ? DenseOperand.Read(backend, dst) : DenseOperand.Write(backend, dst);
        }
        catch
        {
            s.Dispose();
            x.Dispose();
            throw;
        }
        AxisLayout.TryMerge(axis, [s.View, x.View, d.View], out outer, out inner, strides);
        return new IndexOperands(backend, outer, inner, s.View, x.View, d.View, strides[0], strides[1], strides[2],
                                 s, x, d, dst, accumulates);
    }

    /// <summary>Stores the result in the caller's dst when the kernel wrote a copy. Call once the kernel has run.</summary>
    public void Complete()
    {
        if (!Accumulates) DstOperand.Complete();
        else if (DstOperand.IsCopy) Backend!.Copy(DstOperand.View, Target);
    }

    public void Dispose()
    {
        SrcOperand.Dispose();
        IndexOperand.Dispose();
        DstOperand.Dispose();
    }
}

/// <summary>A Gather or ScatterAdd kernel over opened operands; the lengths are src's and dst's along the axis.</summary>
internal delegate void IndexKernel(in IndexOperands x, int srcLength, int dstLength);
