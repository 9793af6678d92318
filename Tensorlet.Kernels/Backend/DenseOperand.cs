namespace Tensorlet.Kernels;

/// <summary>
/// An operand a kernel needs as dense row-major memory. Callers pass any <see cref="StridedView"/>; a kernel that
/// can only walk dense arrays opens it with <see cref="Read"/> (or <see cref="Write"/> for an output) and gets the
/// view itself when it already is dense, or else a pooled dense copy made by the backend's own <see cref="IBackend.Copy"/>.
/// So the copy a strided operand costs is paid in one place, inside the backend, and only when the layout needs it —
/// never by Core before the call. Dispose returns the copy to the pool.
/// </summary>
public readonly struct DenseOperand : IDisposable
{
    private readonly IBackend? _backend;
    private readonly DeviceBuffer? _copy;
    private readonly StridedView _target;

    private DenseOperand(IBackend? backend, StridedView dense, DeviceBuffer? copy, StridedView target)
    {
        _backend = backend;
        View = dense;
        _copy = copy;
        _target = target;
    }

    /// <summary>The dense view the kernel uses: the operand itself, or its pooled copy.</summary>
    public StridedView View { get; }

    /// <summary>The buffer of <see cref="View"/>.</summary>
    public DeviceBuffer Buffer => View.Buffer;

    /// <summary>The offset of <see cref="View"/>'s first element in <see cref="Buffer"/>.</summary>
    public int Offset => View.Offset;

    /// <summary>True when the operand was not dense and the kernel works on a copy.</summary>
    public bool IsCopy => _copy != null;

    /// <summary>An input read densely: <paramref name="view"/> itself when dense, else a dense copy of its elements.</summary>
    public static DenseOperand Read(IBackend backend, in StridedView view)
    {
        if (view.IsContiguous) return new DenseOperand(null, view, null, view);
        var copy = backend.Allocate(view.Count);
        var dense = StridedView.Contiguous(copy, 0, view.Shape);
        try { backend.Copy(view, dense); }
        catch { copy.Dispose(); throw; }
        return new DenseOperand(backend, dense, copy, view);
    }

    /// <summary>
    /// An output written densely: <paramref name="view"/> itself when dense, else dense scratch memory whose elements
    /// <see cref="Complete"/> copies into <paramref name="view"/>. Call <see cref="Complete"/> once the kernel has run.
    /// </summary>
    public static DenseOperand Write(IBackend backend, in StridedView view)
    {
        if (view.IsContiguous) return new DenseOperand(null, view, null, view);
        var copy = backend.Allocate(view.Count);
        return new DenseOperand(backend, StridedView.Contiguous(copy, 0, view.Shape), copy, view);
    }

    /// <summary>For an output opened with <see cref="Write"/>: stores the kernel's result in the caller's view.</summary>
    public void Complete()
    {
        if (_copy != null) _backend!.Copy(View, _target);
    }

    /// <summary>Returns the copy, if one was made, to the backend's pool.</summary>
    public void Dispose() => _copy?.Dispose();
}
