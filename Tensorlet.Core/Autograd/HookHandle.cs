namespace Tensorlet;

/// <summary>The handle a hook registration returns: disposing it removes the hook (once; later calls do nothing).</summary>
internal sealed class HookHandle(Action remove) : IDisposable
{
    private Action? _remove = remove;

    public void Dispose()
    {
        _remove?.Invoke();
        _remove = null;
    }
}
