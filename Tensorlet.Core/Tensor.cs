using Tensorlet.Kernels;

namespace Tensorlet;

/// <summary>
/// An n-dimensional float32 array on a <see cref="Device"/>: a shape, strides and an offset over a shared,
/// reference-counted buffer, so reshapes, transposes, slices and broadcasts are views, not copies. Ops record
/// themselves for reverse-mode autograd when an input <see cref="RequiresGrad"/>.
/// Dispose a tensor (or let a <see cref="TensorScope"/> do it) to return its memory to the pool at once.
/// </summary>
public sealed partial class Tensor : IDisposable
{
    private Storage _storage;
    private readonly int[] _shape;
    private readonly int[] _strides;
    private bool _disposed;

    internal Tensor(Storage storage, int[] shape, int[] strides, int offset, bool scoped = true)
    {
        _storage = storage;
        _shape = shape;
        _strides = strides;
        Offset = offset;
        if (scoped) TensorScope.Register(this);
    }

    /// <summary>A new contiguous tensor with undefined contents.</summary>
    internal static Tensor Empty(int[] shape, Device device)
    {
        int n = Tensorlet.Shape.Count(shape);
        return new Tensor(Storage.Allocate(device, n), (int[])shape.Clone(), StridedView.ContiguousStrides(shape), 0);
    }

    /// <summary>A new tensor viewing the same memory (takes a reference on the storage).</summary>
    internal Tensor ViewOf(int[] shape, int[] strides, int offset)
    {
        ThrowIfDisposed();
        _storage.Retain();
        return new Tensor(_storage, shape, strides, offset);
    }

    /// <summary>The sizes of the dimensions (a copy).</summary>
    public int[] Shape => (int[])_shape.Clone();

    /// <summary>Element steps between consecutive indices of each dimension (a copy).</summary>
    public int[] Strides => (int[])_strides.Clone();

    internal ReadOnlySpan<int> ShapeSpan => _shape;
    internal ReadOnlySpan<int> StridesSpan => _strides;

    /// <summary>Index of element [0, ..., 0] in the underlying buffer.</summary>
    public int Offset { get; }

    public int Rank => _shape.Length;

    /// <summary>Number of elements.</summary>
    public int Count => Tensorlet.Shape.Count(_shape);

    /// <summary>Size of dimension <paramref name="dim"/> (negative counts from the end).</summary>
    public int Size(int dim) => _shape[Tensorlet.Shape.WrapDim(dim, Rank, "Size")];

    public Device Device => _storage.Device;

    internal IBackend Backend => _storage.Device.Backend;

    internal DeviceBuffer Buffer
    {
        get
        {
            ThrowIfDisposed();
            return _storage.Buffer;
        }
    }

    /// <summary>True when the elements are dense, row-major, with no gaps.</summary>
    public bool IsContiguous => AsStrided().IsContiguous;

    /// <summary>The kernel-level description of this tensor's memory.</summary>
    internal StridedView AsStrided() => new(Buffer, Offset, _shape, _strides);

    /// <summary>This tensor seen with <paramref name="shape"/> by broadcasting (stride 0 on new or size-1 dims).</summary>
    internal StridedView BroadcastView(int[] shape)
    {
        if (Tensorlet.Shape.SameShape(shape, _shape)) return AsStrided();
        return new StridedView(Buffer, Offset, shape, BroadcastStrides(shape, "broadcast"));
    }

    internal int[] BroadcastStrides(int[] shape, string op)
    {
        int lead = shape.Length - _shape.Length;
        if (lead < 0)
            throw new ArgumentException($"{op}: cannot broadcast shape {Tensorlet.Shape.Format(_shape)} to {Tensorlet.Shape.Format(shape)}.");
        var strides = new int[shape.Length];
        for (int i = 0; i < _shape.Length; i++)
        {
            int d = _shape[i], target = shape[i + lead];
            if (d == target) strides[i + lead] = _strides[i];
            else if (d == 1) strides[i + lead] = 0;
            else throw new ArgumentException(
                $"{op}: cannot broadcast shape {Tensorlet.Shape.Format(_shape)} to {Tensorlet.Shape.Format(shape)} (dimension {i}: {d} vs {target}).");
        }
        return strides;
    }

    // ---- autograd state ---------------------------------------------------------------------------

    /// <summary>Whether gradients flow to this tensor. Set it on leaves (parameters, inputs you differentiate).</summary>
    public bool RequiresGrad
    {
        get => _requiresGrad;
        set
        {
            if (!value && GradFn != null)
                throw new InvalidOperationException(
                    "RequiresGrad can only be cleared on a leaf; use Detach() to cut a non-leaf out of the graph.");
            _requiresGrad = value;
        }
    }
    private bool _requiresGrad;

    /// <summary>The op that produced this tensor (null for leaves).</summary>
    public Node? GradFn { get; private set; }

    /// <summary>True for tensors not produced by a recorded op.</summary>
    public bool IsLeaf => GradFn == null;

    /// <summary>The accumulated gradient of a leaf after <see cref="Backward"/>; null until then.</summary>
    public Tensor? Grad { get; set; }

    /// <summary>Gradient being accumulated for a non-leaf during one backward sweep.</summary>
    internal Tensor? PendingGrad;

    /// <summary>Keep <see cref="Grad"/> for this non-leaf too (like <c>retain_grad()</c>).</summary>
    public void RetainGrad() => _retainGrad = true;
    private bool _retainGrad;
    internal bool RetainsGrad => _retainGrad;

    /// <summary>
    /// Marks <paramref name="output"/> as produced by an op over <paramref name="inputs"/>, if grad mode is on and
    /// some input requires grad. <paramref name="backward"/> receives the output's gradient and must call
    /// <see cref="AccumulateGrad"/> on each input that <see cref="RequiresGrad"/>.
    /// </summary>
    internal static Tensor Record(Tensor output, string name, Tensor[] inputs, Action<Tensor> backward)
    {
        if (!GradMode.IsEnabled) return output;
        bool any = false;
        foreach (var t in inputs) any |= t.RequiresGrad;
        if (!any) return output;
        output._requiresGrad = true;
        output.GradFn = new Node(name, inputs, backward, (int[])output._shape.Clone());
        return output;
    }

    /// <summary>A tensor sharing this one's memory but outside the graph (no grad, no history).</summary>
    public Tensor Detach() => ViewOf(_shape, _strides, Offset);

    // ---- lifetime -------------------------------------------------------------------------------------

    public bool IsDisposed => _disposed;

    /// <summary>Releases this tensor's reference to its memory; the memory returns to the pool with the last view.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _storage.Release();
    }

    internal void ThrowIfDisposed()
    {
        if (_disposed)
            throw new ObjectDisposedException(nameof(Tensor),
                $"This tensor of shape {Tensorlet.Shape.Format(_shape)} was disposed (by you or by the TensorScope that owned it).");
    }

    internal static void CheckSameDevice(string op, Tensor a, Tensor b)
    {
        if (!a.Device.Equals(b.Device))
            throw new ArgumentException($"{op}: tensors are on different devices ({a.Device} and {b.Device}); move one with To(device).");
    }
}
