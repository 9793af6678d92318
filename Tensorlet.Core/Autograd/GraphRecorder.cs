using System.Globalization;

namespace Tensorlet;

/// <summary>
/// Watches the gradients of one graph (made by <see cref="Autograd.Graph.Record"/>): a hook on every tensor that
/// requires grad stores the L2 norm of the gradient it receives in each <see cref="Tensor.Backward"/>.
/// </summary>
public sealed class GraphRecorder : IDisposable
{
    private readonly GraphSnapshot _snapshot;
    private readonly Dictionary<Tensor, double> _norms = new(ReferenceEqualityComparer.Instance);
    private readonly List<IDisposable> _hooks = new();

    internal GraphRecorder(GraphSnapshot snapshot)
    {
        _snapshot = snapshot;
        foreach (var t in snapshot.Tensors)
        {
            if (!t.RequiresGrad) continue;
            var tensor = t;
            _hooks.Add(t.RegisterHook(g =>
            {
                _norms[tensor] = Norm(g);
                return null;
            }));
        }
    }

    /// <summary>‖d(root)/d(t)‖₂ from the last Backward, or null if <paramref name="t"/> is not in the graph or got no gradient.</summary>
    public double? GradNorm(Tensor t) => _norms.TryGetValue(t, out var n) ? n : null;

    /// <summary>
    /// The tree of <see cref="Autograd.Graph.ToText"/>, each tensor that requires grad followed by "grad norm 1.234"
    /// (four significant digits), or "no grad" if Backward has not reached it.
    /// </summary>
    public string ToText() => Autograd.Graph.Render(_snapshot, line =>
        line.Repeat || !line.Tensor.RequiresGrad ? null
        : _norms.TryGetValue(line.Tensor, out var n) ? "grad norm " + n.ToString("G4", CultureInfo.InvariantCulture)
        : "no grad");

    /// <summary>Removes the hooks (the recorded norms stay readable).</summary>
    public void Dispose()
    {
        foreach (var h in _hooks) h.Dispose();
        _hooks.Clear();
    }

    private static double Norm(Tensor g)
    {
        double sum = 0;
        foreach (float v in g.ToArray()) sum += (double)v * v;
        return Math.Sqrt(sum);
    }
}
