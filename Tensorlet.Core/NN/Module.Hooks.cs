namespace Tensorlet.NN;

// Forward hooks (PyTorch's register_forward_hook / register_forward_pre_hook): a way to watch the activations flowing
// through a model without editing it. They fire in Call, which is how containers run their children; calling Forward
// directly bypasses them, as calling module.forward(x) does in PyTorch.
public abstract partial class Module
{
    private List<Action<Module, Tensor, Tensor>>? _forwardHooks;
    private List<Action<Module, Tensor>>? _forwardPreHooks;

    /// <summary>
    /// Calls <paramref name="hook"/>(module, input, output) after every <see cref="Call"/> of this module. Dispose the
    /// returned handle to remove it. Register on a child (e.g. from <c>NamedModules()</c>) to watch one layer.
    /// </summary>
    public IDisposable RegisterForwardHook(Action<Module, Tensor, Tensor> hook) => Add(ref _forwardHooks, hook);

    /// <summary>Calls <paramref name="hook"/>(module, input) before every <see cref="Call"/> of this module; dispose the handle to remove it.</summary>
    public IDisposable RegisterForwardPreHook(Action<Module, Tensor> hook) => Add(ref _forwardPreHooks, hook);

    private static IDisposable Add<T>(ref List<T>? hooks, T hook) where T : Delegate
    {
        ArgumentNullException.ThrowIfNull(hook);
        var list = hooks ??= new();
        list.Add(hook);
        // Removes one registration: a delegate registered twice stays once until its second handle is disposed.
        return new HookHandle(() => list.Remove(hook));
    }

    private void RunForwardPreHooks(Tensor input)
    {
        if (_forwardPreHooks == null) return;
        foreach (var hook in _forwardPreHooks.ToArray()) hook(this, input);
    }

    private void RunForwardHooks(Tensor input, Tensor output)
    {
        if (_forwardHooks == null) return;
        foreach (var hook in _forwardHooks.ToArray()) hook(this, input, output);
    }
}
