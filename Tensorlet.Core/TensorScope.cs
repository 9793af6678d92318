namespace Tensorlet;

/// <summary>
/// Collects the tensors created on this thread while it is open and disposes them when it closes, returning
/// their memory to the pool. Wrap each training step in one so memory after step 1000 equals memory after
/// step 10. Tensors you want to outlive the scope: <see cref="Keep"/> (they move to the enclosing scope, or
/// become unscoped). Parameters, gradients of leaves and optimizer state are never scoped.
/// </summary>
/// <example><code>
/// using (TensorScope.Begin())
/// {
///     var loss = F.CrossEntropy(model.Forward(x), y);
///     optimizer.ZeroGrad();
///     loss.Backward();
///     optimizer.Step();
/// }
/// </code></example>
public sealed class TensorScope : IDisposable
{
    [ThreadStatic] private static TensorScope? _current;

    private readonly List<Tensor>? _tensors;
    private readonly TensorScope? _parent;
    private bool _disposed;

    private TensorScope(bool tracking)
    {
        _parent = _current;
        _tensors = tracking ? new List<Tensor>() : null;
        _current = this;
    }

    /// <summary>Opens a scope that owns every tensor created on this thread until it is disposed.</summary>
    public static TensorScope Begin() => new(tracking: true);

    /// <summary>Opens a region whose tensors belong to no scope (for state that must persist: parameters, optimizer buffers).</summary>
    public static TensorScope Suspend() => new(tracking: false);

    /// <summary>Number of tensors this scope will dispose.</summary>
    public int Count => _tensors?.Count ?? 0;

    internal static void Register(Tensor t) => _current?._tensors?.Add(t);

    /// <summary>Moves <paramref name="tensor"/> out of this scope into the enclosing one (or none) and returns it.</summary>
    public Tensor Keep(Tensor tensor)
    {
        if (_tensors != null && _tensors.Remove(tensor)) _parent?._tensors?.Add(tensor);
        return tensor;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (!ReferenceEquals(_current, this))
            throw new InvalidOperationException("TensorScopes must be disposed in the reverse order they were opened, on the thread that opened them.");
        _current = _parent;
        if (_tensors == null) return;
        for (int i = _tensors.Count - 1; i >= 0; i--) _tensors[i].Dispose();
        _tensors.Clear();
    }
}
