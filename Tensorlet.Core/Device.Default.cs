namespace Tensorlet;

public sealed partial class Device
{
    // Per thread, as PyTorch's device context manager is, so one thread building a model on the meta device does not
    // move another thread's new tensors there.
    [ThreadStatic] private static Device? _default;

    /// <summary>
    /// Where tensors created without a device go (<see cref="Cpu"/> unless an <see cref="AsDefault"/> scope on this
    /// thread says otherwise): factory functions such as <c>Tensor.Zeros</c>, and the parameters modules create.
    /// </summary>
    public static Device Default => _default ?? Cpu;

    /// <summary>
    /// Makes this device the <see cref="Default"/> on the calling thread until the result is disposed, like PyTorch's
    /// <c>with torch.device("meta"):</c>. Scopes nest; disposing restores the previous default.
    /// </summary>
    public IDisposable AsDefault()
    {
        var previous = _default;
        _default = this;
        return new Restore(previous);
    }

    private sealed class Restore(Device? previous) : IDisposable
    {
        private bool _done;

        public void Dispose()
        {
            if (_done) return;
            _done = true;
            _default = previous;
        }
    }
}
