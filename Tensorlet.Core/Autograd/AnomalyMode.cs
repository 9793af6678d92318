using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Tensorlet;

/// <summary>
/// Anomaly detection, like <c>torch.autograd.detect_anomaly()</c>: while a <see cref="Detect"/> scope is open on this
/// thread, every op checks its output and every backward step checks the gradients it produced, and the first
/// NaN or infinity throws a <see cref="NotFiniteNumberException"/> naming the op, its input shapes and the code that
/// created the op. It reads every value back to the host, so it is for debugging; outside the scope nothing is
/// checked and no stack trace is taken, so normal runs pay one thread-local read per op.
/// </summary>
/// <example><code>
/// using (AnomalyMode.Detect())
/// {
///     var loss = F.CrossEntropy(model.Call(x), y);
///     loss.Backward();   // throws at the first op whose forward or backward makes a NaN or an infinity
/// }
/// </code></example>
public static class AnomalyMode
{
    [ThreadStatic] private static int _enabled;
    [ThreadStatic] private static int _inBackward;

    // Where each op was created, kept only for nodes recorded while detection is on (and only as long as the node lives).
    private static readonly ConditionalWeakTable<Node, string> Origins = new();

    /// <summary>True while a <see cref="Detect"/> scope is open on this thread.</summary>
    public static bool IsEnabled => _enabled > 0;

    /// <summary>Turns detection on until the returned scope is disposed; scopes nest.</summary>
    public static Scope Detect()
    {
        _enabled++;
        return new Scope();
    }

    /// <summary>Turns detection back off (unless an outer scope is still open) when disposed.</summary>
    public readonly struct Scope : IDisposable
    {
        public void Dispose() => _enabled--;
    }

    /// <summary>
    /// Checks an op's output. Only the op that turns finite inputs into a non-finite output is blamed; a NaN that came
    /// in through an input was reported where it was made (or sits in a leaf the user filled).
    /// </summary>
    internal static void CheckForward(Tensor output, string name, Tensor[] inputs)
    {
        // The ops a backward runs are checked, and blamed on their node, by Apply.
        if (_inBackward > 0) return;
        if (!HasNonFinite(output, out float bad) || inputs.Any(t => HasNonFinite(t, out _))) return;
        throw new NotFiniteNumberException(
            $"Anomaly detected: {OpName(name)} produced {Describe(bad)} in its forward from finite inputs of shapes " +
            $"{Shapes(inputs)} (output shape {Shape.Format(output.ShapeSpan)}). The op was called at:\n{CallerTrace()}", bad);
    }

    /// <summary>Remembers where <paramref name="node"/> was created, for a later backward anomaly.</summary>
    internal static void Remember(Node node) => Origins.AddOrUpdate(node, CallerTrace());

    /// <summary>Runs <paramref name="node"/>'s backward with <paramref name="grad"/> and checks the gradients it produced.</summary>
    internal static void Apply(Node node, Tensor grad)
    {
        bool incomingFinite = !HasNonFinite(grad, out _);
        _inBackward++;
        try { node.Apply(grad); }
        finally { _inBackward--; }
        if (!incomingFinite) return;
        for (int i = 0; i < node.Inputs.Length; i++)
        {
            var input = node.Inputs[i];
            // A leaf that collects its gradient before passing it on (e.g. through hooks) holds it as pending too.
            var produced = input.PendingGrad ?? (input.IsLeaf ? input.Grad : null);
            if (produced == null || !HasNonFinite(produced, out float bad)) continue;
            string origin = Origins.TryGetValue(node, out var trace)
                ? trace
                : "   (unknown: the op was recorded before anomaly detection was turned on)";
            throw new NotFiniteNumberException(
                $"Anomaly detected: {node.Name} produced {Describe(bad)} in the gradient of its input {i} from a finite " +
                $"output gradient (input shapes {Shapes(node.Inputs)}). The op was created at:\n{origin}", bad);
        }
    }

    private static bool HasNonFinite(Tensor t, out float bad)
    {
        foreach (float v in t.ToArray())
            if (!float.IsFinite(v)) { bad = v; return true; }
        bad = 0;
        return false;
    }

    private static string OpName(string nodeName) =>
        nodeName.EndsWith("Backward", StringComparison.Ordinal) ? nodeName[..^"Backward".Length] : nodeName;

    private static string Describe(float v) => float.IsNaN(v) ? "NaN" : v > 0 ? "+infinity" : "-infinity";

    private static string Shapes(Tensor[] inputs) => string.Join(", ", inputs.Select(t => Shape.Format(t.ShapeSpan)));

    /// <summary>The caller's frames, without Tensorlet's own, so the first line is the user's code that made the op.</summary>
    private static string CallerTrace()
    {
        var own = typeof(AnomalyMode).Assembly;
        var frames = new StackTrace(fNeedFileInfo: true).GetFrames()
            .Where(f => f.GetMethod()?.DeclaringType?.Assembly != own)
            .Select(f => new StackTrace(f).ToString().TrimEnd());
        return string.Join("\n", frames);
    }
}
