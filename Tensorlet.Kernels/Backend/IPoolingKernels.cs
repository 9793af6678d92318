namespace Tensorlet.Kernels;

/// <summary>
/// Pooling on contiguous NCHW buffers (part of <see cref="IBackend"/>). Each of the N·C planes is pooled on its
/// own; outputs (gradients included) are overwritten, never accumulated. Sizes and windows follow
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
    void MaxPool2d(in Pool2dGeometry g, DeviceBuffer x, int xOffset, DeviceBuffer y, int yOffset, DeviceBuffer indices, int indicesOffset);

    /// <summary>gradX = 0, then gradX[plane, indices[o]] += gradY[o] for every output o of the plane: the adjoint of the forward selection.</summary>
    void MaxPool2dBackward(in Pool2dGeometry g, DeviceBuffer gradY, int gradYOffset, DeviceBuffer indices, int indicesOffset,
                           DeviceBuffer gradX, int gradXOffset);

    /// <summary>
    /// y = the mean of each window of x. The window end is clipped to H + p (W + p) first; with
    /// <see cref="Pool2dGeometry.CountIncludePad"/> the divisor is that clipped window's size, without it the number
    /// of in-image elements.
    /// </summary>
    void AvgPool2d(in Pool2dGeometry g, DeviceBuffer x, int xOffset, DeviceBuffer y, int yOffset);

    /// <summary>gradX[i] = Σ over the windows containing i of gradY[o] / divisor(o).</summary>
    void AvgPool2dBackward(in Pool2dGeometry g, DeviceBuffer gradY, int gradYOffset, DeviceBuffer gradX, int gradXOffset);

    /// <summary>
    /// Averages x [N, C, H, W] into y [N, C, OH, OW] over the bins rows [⌊i·H/OH⌋, ⌈(i+1)·H/OH⌉) × columns
    /// [⌊j·W/OW⌋, ⌈(j+1)·W/OW⌉) — they overlap when H is not a multiple of OH. OH = OW = 1 is global average pooling.
    /// </summary>
    void AdaptiveAvgPool2d(int n, int c, int h, int w, int outH, int outW, DeviceBuffer x, int xOffset, DeviceBuffer y, int yOffset);

    /// <summary>gradX[i] = Σ over the bins containing i of gradY[o] / size(bin o).</summary>
    void AdaptiveAvgPool2dBackward(int n, int c, int h, int w, int outH, int outW, DeviceBuffer gradY, int gradYOffset,
                                   DeviceBuffer gradX, int gradXOffset);
}
