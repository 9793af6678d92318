namespace Tensorlet;

// Gradient hooks (PyTorch's tensor.register_hook): during Backward, each hook sees the gradient of this tensor once it
// is complete (summed over every use) and may replace it. A non-leaf's hooks run when the sweep reaches it, before the
// gradient flows on; a leaf's run at the end of the sweep, before the gradient is added to Grad.
public sealed partial class Tensor
{
    private List<Registration>? _hooks;

    /// <summary>One registration, so that disposing a handle removes exactly the hook it added.</summary>
    private sealed class Registration(Func<Tensor, Tensor?> hook)
    {
        public Func<Tensor, Tensor?> Hook { get; } = hook;
    }

    /// <summary>
    /// Calls <paramref name="hook"/> with d(root)/d(this) every time <see cref="Backward"/> computes it. The hook may return
    /// a replacement of the same shape (which then flows on, or into <see cref="Grad"/> for a leaf) or null to keep the
    /// gradient. Hooks run in registration order, with recording off. Dispose the returned handle to remove the hook.
    /// </summary>
    public IDisposable RegisterHook(Func<Tensor, Tensor?> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        ThrowIfDisposed();
        if (!_requiresGrad)
            throw new InvalidOperationException(
                $"RegisterHook on a tensor of shape {Tensorlet.Shape.Format(_shape)} that does not require grad: no gradient will ever " +
                "reach it. Set RequiresGrad = true on the leaf, or hook a tensor computed from one.");
        var registration = new Registration(hook);
        (_hooks ??= new()).Add(registration);
        return new HookHandle(() => _hooks.Remove(registration));
    }

    internal bool HasHooks => _hooks is { Count: > 0 };

    /// <summary>Passes <paramref name="grad"/> through every hook; returns the gradient to use.</summary>
    internal Tensor RunHooks(Tensor grad)
    {
        if (_hooks == null) return grad;
        foreach (var registration in _hooks.ToArray())  // a hook may remove itself
        {
            var replacement = registration.Hook(grad);
            if (replacement == null) continue;
            if (!Tensorlet.Shape.SameShape(replacement._shape, _shape))
                throw new InvalidOperationException(
                    $"A gradient hook on a tensor of shape {Tensorlet.Shape.Format(_shape)}{(GradFn != null ? $" (from {GradFn.Name})" : "")} " +
                    $"returned a gradient of shape {Tensorlet.Shape.Format(replacement._shape)}; return the same shape, or null to keep the gradient.");
            grad = replacement;
        }
        return grad;
    }

    /// <summary>The leaves of the graph under <paramref name="root"/> that have hooks: their gradients wait for the end of the sweep.</summary>
    private static List<Tensor> HookedLeaves(Tensor root, List<Tensor> order)
    {
        var leaves = new List<Tensor>();
        if (root.GradFn == null)
        {
            if (root.HasHooks) leaves.Add(root);
            return leaves;
        }
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var t in order)
            foreach (var input in t.GradFn!.Inputs)
                if (input.GradFn == null && input.HasHooks && seen.Add(input)) leaves.Add(input);
        return leaves;
    }

    /// <summary>Runs a hooked leaf's hooks on the gradient it collected in this sweep and adds the result to Grad.</summary>
    private void FlushHookedLeaf()
    {
        var g = PendingGrad;
        if (g == null) return;
        PendingGrad = null;
        AddToLeafGrad(RunHooks(g));
    }
}
