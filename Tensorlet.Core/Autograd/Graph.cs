using System.Globalization;
using System.Text;

namespace Tensorlet;

/// <summary>Tools for looking at autograd itself: the recorded graph as text or Graphviz, and the gradients flowing through it.</summary>
public static partial class Autograd
{
    /// <summary>
    /// Prints the graph that <see cref="Tensor.Backward"/> would walk from a tensor: every op with its output shape, down
    /// to the leaves. Call these before Backward (which frees the graph) or pass <c>retainGraph: true</c> to it.
    /// </summary>
    public static class Graph
    {
        /// <summary>
        /// The graph under <paramref name="root"/> as an indented tree, two spaces per level, one line per op
        /// ("MulBackward [2, 3]") with its inputs below it: "leaf [3]" for a tensor that requires grad, "const [2, 3]" for
        /// one that does not. An op whose output is used more than once is printed in full the first time, marked " #k",
        /// and later as "(#k, see above)".
        /// </summary>
        /// <param name="names">Optional names to print for tensors (e.g. a model's named parameters); compared by reference.</param>
        public static string ToText(Tensor root, IReadOnlyDictionary<Tensor, string>? names = null) =>
            Render(GraphSnapshot.Of(root, names), null);

        /// <summary>
        /// The same graph in Graphviz's DOT language (render it with <c>dot -Tpng graph.dot -o graph.png</c>): one box per
        /// op, an ellipse per leaf (filled when it requires grad, dashed when it is a constant), and an edge from each input
        /// to the op that consumed it, so the leaves are at the top and the root at the bottom.
        /// </summary>
        public static string ToDot(Tensor root, IReadOnlyDictionary<Tensor, string>? names = null)
        {
            var snapshot = GraphSnapshot.Of(root, names);
            var sb = new StringBuilder("digraph autograd {\n  node [fontname=\"Helvetica\", fontsize=10];\n");
            for (int i = 0; i < snapshot.Tensors.Count; i++)
            {
                var t = snapshot.Tensors[i];
                string label = Escape(snapshot.Label(t)).Replace(" [", "\\n[");
                string style = t.GradFn != null ? "shape=box" : t.RequiresGrad ? "shape=ellipse, style=filled, fillcolor=lightblue" : "shape=ellipse, style=dashed";
                if (i == 0) style += ", penwidth=2";
                sb.Append(CultureInfo.InvariantCulture, $"  n{i} [label=\"{label}\", {style}];\n");
            }
            foreach (var (from, to) in snapshot.Edges) sb.Append(CultureInfo.InvariantCulture, $"  n{from} -> n{to};\n");
            return sb.Append("}\n").ToString();
        }

        /// <summary>
        /// Hooks every tensor of the graph under <paramref name="root"/> that requires grad, so that after
        /// <c>root.Backward()</c> the recorder can show the norm of each gradient that flowed (see
        /// <see cref="GraphRecorder.ToText"/>). Take it before Backward; dispose it to remove the hooks.
        /// </summary>
        public static GraphRecorder Record(Tensor root, IReadOnlyDictionary<Tensor, string>? names = null)
        {
            ArgumentNullException.ThrowIfNull(root);
            if (!root.RequiresGrad)
                throw new ArgumentException(
                    $"Autograd.Graph.Record: the tensor of shape {Shape.Format(root.ShapeSpan)} does not require grad, so it has no graph " +
                    "and Backward cannot run from it. Record the loss computed from parameters or inputs with RequiresGrad = true.");
            return new GraphRecorder(GraphSnapshot.Of(root, names));
        }

        /// <summary>The snapshot's lines, each followed by <paramref name="annotate"/>'s text when it gives one.</summary>
        internal static string Render(GraphSnapshot snapshot, Func<GraphSnapshot.Line, string?>? annotate)
        {
            var sb = new StringBuilder();
            foreach (var line in snapshot.Lines)
            {
                sb.Append(' ', 2 * line.Depth).Append(line.Text);
                if (annotate?.Invoke(line) is { } note) sb.Append("  ").Append(note);
                sb.Append('\n');
            }
            return sb.ToString();
        }

        private static string Escape(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"");
    }
}
