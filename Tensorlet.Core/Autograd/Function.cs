namespace Tensorlet;

/// <summary>
/// A differentiable op written by the user, like <c>torch.autograd.Function</c>: subclass it, compute the output in
/// <see cref="Forward"/> (saving what the gradient needs on the context), give the gradient of each input in
/// <see cref="Backward"/>, and call <see cref="Apply"/>. Autograd then treats it like any built-in op, and
/// <see cref="GradCheck.Run"/> grades its backward against finite differences.
/// </summary>
/// <example>
/// <code>
/// sealed class Swish : Function
/// {
///     protected override Tensor Forward(FunctionContext ctx, Tensor[] x)
///     {
///         var s = x[0].Sigmoid();
///         ctx.SaveForBackward(x[0], s);
///         return x[0].Mul(s);
///     }
///     // d/dx x·σ(x) = σ(x)·(1 + x·(1 − σ(x)))
///     protected override Tensor?[] Backward(FunctionContext ctx, Tensor g)
///     {
///         var (x, s) = (ctx.SavedTensors[0], ctx.SavedTensors[1]);
///         return [g.Mul(s.Mul(x.Mul(s.Neg().Add(1f)).Add(1f)))];
///     }
/// }
/// var y = new Swish().Apply(x);
/// </code>
/// </example>
public abstract class Function
{
    /// <summary>The name the graph shows, as "<c>{Name}Backward</c>"; the class name by default.</summary>
    public virtual string Name => GetType().Name;

    /// <summary>Computes the output from <paramref name="inputs"/>. Runs with recording off, so nothing here enters the graph.</summary>
    protected abstract Tensor Forward(FunctionContext ctx, Tensor[] inputs);

    /// <summary>
    /// Given d(loss)/d(output), returns d(loss)/d(input) for each input, in order and of the input's shape; null for an
    /// input without one (one that <see cref="FunctionContext.NeedsInputGrad"/> says needs none may also get null).
    /// Runs with recording off.
    /// </summary>
    protected abstract Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput);

    /// <summary>Runs the op on <paramref name="inputs"/> and, when any of them requires grad, records it in the graph.</summary>
    public Tensor Apply(params Tensor[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Length == 0) throw new ArgumentException($"{Name}.Apply: a function needs at least one input tensor.");
        for (int i = 0; i < inputs.Length; i++)
            if (inputs[i] == null) throw new ArgumentNullException(nameof(inputs), $"{Name}.Apply: input {i} is null.");
        var ctx = new FunctionContext(inputs);
        Tensor output;
        using (GradMode.NoGrad())
            output = Forward(ctx, inputs) ?? throw new InvalidOperationException($"{Name}.Forward returned null; it must return the output tensor.");
        // The node hangs on the output tensor, so it must be a tensor of its own: Forward may return an input as is.
        if (output.RequiresGrad || Array.Exists(inputs, t => ReferenceEquals(t, output))) output = output.Detach();
        var saved = (Tensor[])inputs.Clone();
        return Tensor.Record(output, Name + "Backward", saved, g => BackwardInto(ctx, saved, g));
    }

    private void BackwardInto(FunctionContext ctx, Tensor[] inputs, Tensor gradOutput)
    {
        var grads = Backward(ctx, gradOutput) ?? throw new InvalidOperationException(
            $"{Name}.Backward returned null; return an array with one gradient (or null) per input.");
        if (grads.Length != inputs.Length)
            throw new InvalidOperationException(
                $"{Name}.Backward returned {grads.Length} gradient(s) for {inputs.Length} input(s): return one per input, null for an input without one.");
        for (int i = 0; i < inputs.Length; i++)
        {
            var g = grads[i];
            if (g == null || !inputs[i].RequiresGrad) continue;
            if (!Tensorlet.Shape.SameShape(g.ShapeSpan, inputs[i].ShapeSpan))
                throw new InvalidOperationException(
                    $"{Name}.Backward: the gradient for input {i} has shape {Tensorlet.Shape.Format(g.ShapeSpan)}, but input {i} has shape " +
                    $"{Tensorlet.Shape.Format(inputs[i].ShapeSpan)}; a gradient must have its input's shape (sum over broadcast dimensions).");
            if (g.Device != inputs[i].Device)
                throw new InvalidOperationException(
                    $"{Name}.Backward: the gradient for input {i} is on {g.Device}, but input {i} is on {inputs[i].Device}.");
            inputs[i].AccumulateGrad(g);
        }
    }
}
