namespace Tensorlet;

/// <summary>
/// Delivers an input's gradient from a backward kernel that can accumulate (dst = β·dst + gradient) straight to where it
/// ends up. A leaf without hooks whose <see cref="Tensor.Grad"/> is already a dense tensor of its shape and device gets
/// the gradient added in place (β = 1): one pass over Grad, where a fresh gradient and then Grad += it would write one
/// tensor and read two more. A first gradient of such a leaf is written (β = 0) into a new unscoped tensor that becomes
/// its Grad, as <see cref="Tensor.AccumulateGrad"/> would make a copy. Every other input (a non-leaf, a hooked leaf, a
/// Grad of another shape or layout) gets a fresh tensor through <see cref="Tensor.AccumulateGrad"/>, so hooks,
/// retained gradients and several uses of one tensor behave as with any op.
/// </summary>
internal static class GradientWriter
{
    /// <summary>Runs <paramref name="kernel"/>(dst, β) so that <paramref name="input"/> receives the gradient it writes.</summary>
    public static void Write(Tensor input, Action<Tensor, float> kernel)
    {
        if (!input.RequiresGrad) return;
        if (input.IsLeaf && !input.HasHooks)
        {
            var grad = input.Grad;
            if (grad == null)
            {
                Tensor first;
                // Grad outlives the step's scope, as AccumulateGrad's copy does.
                using (TensorScope.Suspend()) first = Tensor.Empty(input.Shape, input.Device);
                try { kernel(first, 0f); }
                catch
                {
                    first.Dispose();
                    throw;
                }
                input.Grad = first;
                return;
            }
            if (AddsInPlace(input, grad))
            {
                kernel(grad, 1f);
                return;
            }
        }
        var g = Tensor.Empty(input.Shape, input.Device);
        kernel(g, 0f);
        input.AccumulateGrad(g);
    }

    // What Grad.AddInPlace(g) would update element for element, with nothing else reading the memory the kernel writes.
    private static bool AddsInPlace(Tensor input, Tensor grad) =>
        !grad.IsDisposed && grad.GradFn == null && !grad.RequiresGrad && grad.Device.Equals(input.Device) && grad.IsContiguous &&
        Shape.SameShape(grad.ShapeSpan, input.ShapeSpan) && !ReferenceEquals(grad.Buffer, input.Buffer);
}
