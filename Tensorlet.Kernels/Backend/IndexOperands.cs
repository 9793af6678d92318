namespace Tensorlet.Kernels;

/// <summary>
/// The operands of a Gather or ScatterAdd as a kernel walks them: src, index and dst each as an [outer, ·, inner]
/// array with its own offset and strides (<see cref="AxisLayout"/>). Kernels get the caller's views as they are
/// whenever their dims merge around the axis; otherwise each operand is opened through <see cref="DenseOperand"/>. An accumulating dst (ScatterAdd) is read into its copy first and
/// copied back by <see cref="Complete"/>, so its contents are kept.
/// </summary>
internal readonly struct IndexOperands : IDisposable
{
    private readonly IBackend? _backend;
    private readonly DenseOperand _src, _index, _dst;
    private readonly StridedView _target;
    private readonly bool _accumulates;

    private IndexOperands(IBackend? backend, int outer, int inner, StridedView src, StridedView index, StridedView dst, AxisStrides[] strides,
                          DenseOperand srcOperand, DenseOperand indexOperand, DenseOperand dstOperand, StridedView target, bool accumulates)
    {
        _backend = backend;
        Outer = outer;
        Inner = inner;
        SrcView = src;
        IndexView = index;
        DstView = dst;
        Src = strides[0];
        Index = strides[1];
        Dst = strides[2];
        _src = srcOperand;
        _index = indexOperand;
        _dst = dstOperand;
        _target = target;
        _accumulates = accumulates;
    }

    public int Outer { get; }
    public int Inner { get; }

    /// <summary>The views the kernel reads and writes: the caller's, or dense copies of them.</summary>
    public StridedView SrcView { get; }
    public StridedView IndexView { get; }
    public StridedView DstView { get; }

    public AxisStrides Src { get; }
    public AxisStrides Index { get; }
    public AxisStrides Dst { get; }

    /// <summary>
    /// Opens checked operands along <paramref name="axis"/>. <paramref name="accumulates"/>: dst is added into (ScatterAdd).
    /// </summary>
    public static IndexOperands Open(IBackend backend, in StridedView src, in StridedView index, in StridedView dst, int axis, bool accumulates)
    {
        var strides = new AxisStrides[3];
        if (AxisLayout.TryMerge(axis, [src, index, dst], out int outer, out int inner, strides))
            return new IndexOperands(null, outer, inner, src, index, dst, strides, default, default, default, dst, accumulates);
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
        return new IndexOperands(backend, outer, inner, s.View, x.View, d.View, strides, s, x, d, dst, accumulates);
    }

    /// <summary>Stores the result in the caller's dst when the kernel wrote a copy. Call once the kernel has run.</summary>
    public void Complete()
    {
        if (!_accumulates) _dst.Complete();
        else if (_dst.IsCopy) _backend!.Copy(_dst.View, _target);
    }

    public void Dispose()
    {
        _src.Dispose();
        _index.Dispose();
        _dst.Dispose();
    }
}
