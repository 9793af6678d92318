namespace Tensorlet;

/// <summary>
/// The autograd graph under one tensor, taken apart once for printing: the tree of lines
/// <see cref="Autograd.Graph.ToText"/> shows (a sub-graph reached twice is printed once and then referenced), and the
/// distinct tensors with their edges for <see cref="Autograd.Graph.ToDot"/>. Taken before Backward, since Backward frees
/// the graph it walks.
/// </summary>
internal sealed class GraphSnapshot
{
    /// <summary>One printed line: its indentation level, the tensor, its text, and whether it refers back to an earlier line.</summary>
    public readonly record struct Line(int Depth, Tensor Tensor, string Text, bool Repeat);

    public List<Line> Lines { get; } = new();

    /// <summary>Every tensor of the graph once, in the order the text first prints it (the root first).</summary>
    public List<Tensor> Tensors { get; } = new();

    /// <summary>Input → consumer, as indices into <see cref="Tensors"/>; an input used twice gives two edges.</summary>
    public List<(int From, int To)> Edges { get; } = new();

    private readonly IReadOnlyDictionary<Tensor, string>? _names;
    private readonly Dictionary<Tensor, int> _index = new(ReferenceEqualityComparer.Instance);

    private GraphSnapshot(IReadOnlyDictionary<Tensor, string>? names) => _names = names;

    public static GraphSnapshot Of(Tensor root, IReadOnlyDictionary<Tensor, string>? names)
    {
        ArgumentNullException.ThrowIfNull(root);
        var snapshot = new GraphSnapshot(names);
        snapshot.Walk(root, SharedNodes(root));
        return snapshot;
    }

    public int IndexOf(Tensor t) => _index[t];

    /// <summary>The ops whose output feeds more than one consumer (or one consumer twice): the sub-graphs to print once.</summary>
    private static HashSet<Tensor> SharedNodes(Tensor root)
    {
        var uses = new Dictionary<Tensor, int>(ReferenceEqualityComparer.Instance);
        var shared = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Tensor>();
        stack.Push(root);
        uses[root] = 1;
        while (stack.Count > 0)
            foreach (var input in stack.Pop().GradFn?.Inputs ?? [])
            {
                if (input.GradFn == null) continue;
                int n = uses.GetValueOrDefault(input) + 1;
                uses[input] = n;
                if (n == 1) stack.Push(input);
                else shared.Add(input);
            }
        return shared;
    }

    // Pre-order with an explicit stack, so a deep network does not overflow the call stack.
    private void Walk(Tensor root, HashSet<Tensor> shared)
    {
        var ids = new Dictionary<Tensor, int>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Tensor T, int Depth, int Consumer)>();
        stack.Push((root, 0, -1));
        while (stack.Count > 0)
        {
            var (t, depth, consumer) = stack.Pop();
            bool first = !_index.ContainsKey(t);
            if (first)
            {
                _index[t] = Tensors.Count;
                Tensors.Add(t);
            }
            if (consumer >= 0) Edges.Add((_index[t], consumer));
            var node = t.GradFn;
            string label = Label(t);
            if (node != null && ids.TryGetValue(t, out int seen))
            {
                Lines.Add(new Line(depth, t, $"{label} (#{seen}, see above)", true));
                continue;
            }
            if (node != null && shared.Contains(t))
            {
                ids[t] = ids.Count + 1;
                label += $" #{ids[t]}";
            }
            if (node is { IsReleased: true }) label += " (freed by Backward)";
            Lines.Add(new Line(depth, t, label, false));
            if (node == null) continue;
            for (int i = node.Inputs.Length - 1; i >= 0; i--) stack.Push((node.Inputs[i], depth + 1, _index[t]));
        }
    }

    /// <summary>"MulBackward [2, 3]", "leaf w [3]", "const [2, 3]", with the caller's name for the tensor if it gave one.</summary>
    public string Label(Tensor t)
    {
        string kind = t.GradFn?.Name ?? (t.RequiresGrad ? "leaf" : "const");
        string? name = _names != null && _names.TryGetValue(t, out var n) ? n : null;
        return name == null ? $"{kind} {Shape.Format(t.ShapeSpan)}" : $"{kind} {name} {Shape.Format(t.ShapeSpan)}";
    }
}
