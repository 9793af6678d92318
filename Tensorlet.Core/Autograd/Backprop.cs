namespace Tensorlet;

public sealed partial class Tensor
{
    /// <summary>
    /// Reverse-mode autodiff from this tensor: visits the graph in reverse topological order, gives each node
    /// its output's gradient, and accumulates into the <see cref="Grad"/> of every leaf that requires grad.
    /// The graph is freed afterwards unless <paramref name="retainGraph"/>.
    /// </summary>
    /// <param name="gradient">d(loss)/d(this); may be omitted for a one-element tensor (taken as 1).</param>
    /// <param name="retainGraph">Keep the saved tensors so Backward can run through the graph again.</param>
    public void Backward(Tensor? gradient = null, bool retainGraph = false)
    {
        ThrowIfDisposed();
        if (!RequiresGrad)
            throw new InvalidOperationException(
                "Backward() on a tensor that does not require grad: no input of the computation had RequiresGrad = true.");
        if (gradient == null && Count != 1)
            throw new InvalidOperationException(
                $"Backward() without a gradient needs a one-element tensor, but this one has shape {Tensorlet.Shape.Format(_shape)}.");
        if (gradient != null && !Tensorlet.Shape.SameShape(gradient._shape, _shape))
            throw new ArgumentException(
                $"Backward: gradient shape {Tensorlet.Shape.Format(gradient._shape)} differs from tensor shape {Tensorlet.Shape.Format(_shape)}.");

        var order = TopologicalOrder(this);
        var hookedLeaves = HookedLeaves(this, order);
        using (GradMode.NoGrad())
        {
            AccumulateGrad(gradient ?? OnesLike(this));
            for (int i = order.Count - 1; i >= 0; i--)
            {
                var t = order[i];
                var g = t.PendingGrad;
                if (g == null) continue;
                t.PendingGrad = null;
                g = t.RunHooks(g);
                if (t._retainGrad) t.Grad = g;
                t.GradFn!.Apply(g);
            }
            foreach (var leaf in hookedLeaves) leaf.FlushHookedLeaf();
        }
        if (!retainGraph)
            foreach (var t in order) t.GradFn!.Release();
    }

    /// <summary>Tensors with a GradFn reachable from <paramref name="root"/>, inputs before outputs (iterative DFS: deep nets don't overflow the stack).</summary>
    private static List<Tensor> TopologicalOrder(Tensor root)
    {
        var order = new List<Tensor>();
        if (root.GradFn == null) return order;
        var visited = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Tensor Node, int NextInput)>();
        stack.Push((root, 0));
        visited.Add(root);
        while (stack.Count > 0)
        {
            var (t, next) = stack.Pop();
            var inputs = t.GradFn!.Inputs;
            if (t.GradFn.IsReleased)
                throw new InvalidOperationException(
                    $"Trying to backward through {t.GradFn.Name} a second time: the graph was freed by the first Backward(). " +
                    "Pass retainGraph: true to the first call if you need to.");
            if (next < inputs.Length)
            {
                stack.Push((t, next + 1));
                var child = inputs[next];
                if (child.GradFn != null && visited.Add(child)) stack.Push((child, 0));
            }
            else order.Add(t);
        }
        return order;
    }

    /// <summary>
    /// Adds <paramref name="g"/> to this tensor's gradient: into <see cref="Grad"/> for a leaf (owned, outside any
    /// scope), into the pending gradient for a non-leaf. Shapes must match exactly (ops reduce broadcasts first).
    /// </summary>
    internal void AccumulateGrad(Tensor g)
    {
        if (!_requiresGrad) return;
        if (!Tensorlet.Shape.SameShape(g._shape, _shape))
            throw new InvalidOperationException(
                $"Internal autograd error in {GradFn?.Name ?? "a leaf"}: gradient shape {Tensorlet.Shape.Format(g._shape)} " +
                $"does not match tensor shape {Tensorlet.Shape.Format(_shape)}.");
        if (GradFn == null && !HasHooks) AddToLeafGrad(g);
        else
        {
            // The pending gradient may be a view another input also received, so never add into it in place.
            // A hooked leaf collects here too: its hooks must see the whole gradient, not one use's share.
            PendingGrad = PendingGrad == null ? g : PendingGrad.Add(g);
        }
    }

    private void AddToLeafGrad(Tensor g)
    {
        if (Grad == null)
        {
            using (TensorScope.Suspend()) Grad = g.Clone();
        }
        else Grad.AddInPlace(g);
    }
}
