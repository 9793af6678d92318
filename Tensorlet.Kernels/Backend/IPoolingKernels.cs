namespace Tensorlet.Kernels;

/// <summary>
/// Pooling over NCHW views (part of <see cref="IBackend"/>). Each of the N·C planes is pooled on its own; outputs
/// (gradients included) are overwritten, never accumulated. Every operand is a 4-D <see cref="StridedView"/> of any
/// layout: inputs and input gradients [N, C, H, W], outputs, indices and output gradients [N, C, OH, OW]. Sizes and windows follow
/// <see cref="Pool2dGeometry"/>, whose rules are PyTorch's (ceil mode, padding, the average divisor).
/// </summary>
public interface IPoolingKernels
{
    /// <summary>
    /// y = the maximum of each window of x, and in <paramref name="indices"/> (floats holding integers) the flat
    /// position h·W + w of that maximum within its input plane. Ties go to the first maximum in row-major window
    /// order; padding never wins (a window of −∞ points at its first in-image element); a NaN in a window is its
    /// maximum (the last NaN in window order, as PyTorch's CPU kernel). x is [N, C, H, W], y and indices [N, C, OH, OW].
    /// </summary>
    void MaxPool2d(in Pool2dGeometry g, in StridedView x, in StridedView y, in StridedView indices);

    /// <summary>gradX = 0, then gradX[plane, indices[o]] += gradY[o] for every output o of the plane: the adjoint of the forward selection.</summary>
    void MaxPool2dBackward(in Pool2dGeometry g, in StridedView gradY, in StridedView indices, in StridedView gradX);

    /// <summary>
    /// y = the mean of each window of x. The window end is clipped to H + p (W + p) first; with
    /// <see cref="Pool2dGeometry.CountIncludePad"/> the divisor is that clipped window's size, without it the number
    /// of in-image elements.
    /// </summary>
    void AvgPool2d(in Pool2dGeometry g, in StridedView x, in StridedView y);

    /// <summary>gradX[i] = Σ over the windows containing i of gradY[o] / divisor(o).</summary>
    void AvgPool2dBackward(in Pool2dGeometry g, in StridedView gradY, in StridedView gradX);

    /// <summary>
    /// Averages x [N, C, H, W] into y [N, C, OH, OW] over the bins rows [⌊i·H/OH⌋, ⌈(i+1)·H/OH⌉) × columns
    /// [⌊j·W/OW⌋, ⌈(j+1)·W/OW⌉) — they overlap when H is not a multiple of OH. OH = OW = 1 is global average pooling.
    /// The sizes are the views' shapes.
    /// </summary>
    void AdaptiveAvgPool2d(in StridedView x, in StridedView y);

    /// <summary>gradX[i] = Σ over the bins containing i of gradY[o] / size(bin o).</summary>
    void AdaptiveAvgPool2dBackward(in StridedView gradY, in StridedView gradX);
}
