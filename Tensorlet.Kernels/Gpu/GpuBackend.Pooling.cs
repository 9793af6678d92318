namespace Tensorlet.Kernels.Gpu;

// Pooling entry points: the shared argument checks, then a kernel of PoolingKernels.cs (compiled on first use).
public sealed partial class GpuBackend
{
    private PoolingKernels? _pooling;

    private PoolingKernels Pooling => _pooling ??= new PoolingKernels(Accelerator);

    public void MaxPool2d(in Pool2dGeometry g, DeviceBuffer x, int xOffset, DeviceBuffer y, int yOffset, DeviceBuffer indices, int indicesOffset)
    {
        var (_, output) = OperationChecks.Pool(this, "MaxPool2d", g, (nameof(x), x, xOffset, true), (nameof(y), y, yOffset, false),
                                               (nameof(indices), indices, indicesOffset, false));
        if (output > 0) Pooling.MaxForward(this, g, x, xOffset, y, yOffset, indices, indicesOffset);
    }

    /// <remarks>
    /// An index the forward pass could not have produced (outside its own output's window, fractional or NaN) is
    /// skipped by the kernel and reported as an <see cref="ArgumentOutOfRangeException"/> at the next
    /// <see cref="Synchronize"/> (or <see cref="Download"/>), as a bad Gather index is; the CPU backend throws at once.
    /// </remarks>
    public void MaxPool2dBackward(in Pool2dGeometry g, DeviceBuffer gradY, int gradYOffset, DeviceBuffer indices, int indicesOffset,
                                  DeviceBuffer gradX, int gradXOffset)
    {
        var (input, _) = OperationChecks.Pool(this, "MaxPool2dBackward", g, (nameof(gradY), gradY, gradYOffset, false),
                                              (nameof(indices), indices, indicesOffset, false), (nameof(gradX), gradX, gradXOffset, true));
        if (input > 0) Pooling.MaxBackward(this, g, gradY, gradYOffset, indices, indicesOffset, gradX, gradXOffset);
    }

    public void AvgPool2d(in Pool2dGeometry g, DeviceBuffer x, int xOffset, DeviceBuffer y, int yOffset)
    {
        var (_, output) = OperationChecks.Pool(this, "AvgPool2d", g, (nameof(x), x, xOffset, true), (nameof(y), y, yOffset, false));
        if (output > 0) Pooling.AvgForward(this, g, x, xOffset, y, yOffset);
    }

    public void AvgPool2dBackward(in Pool2dGeometry g, DeviceBuffer gradY, int gradYOffset, DeviceBuffer gradX, int gradXOffset)
    {
        var (input, _) = OperationChecks.Pool(this, "AvgPool2dBackward", g, (nameof(gradY), gradY, gradYOffset, false),
                                              (nameof(gradX), gradX, gradXOffset, true));
        if (input > 0) Pooling.AvgBackward(this, g, gradY, gradYOffset, gradX, gradXOffset);
    }

    public void AdaptiveAvgPool2d(int n, int c, int h, int w, int outH, int outW, DeviceBuffer x, int xOffset, DeviceBuffer y, int yOffset)
    {
        var (_, output) = OperationChecks.AdaptivePool(this, "AdaptiveAvgPool2d", n, c, h, w, outH, outW,
                                                       (nameof(x), x, xOffset, true), (nameof(y), y, yOffset, false));
        if (output > 0) Pooling.AdaptiveForward(this, n * c, h, w, outH, outW, x, xOffset, y, yOffset);
    }

    public void AdaptiveAvgPool2dBackward(int n, int c, int h, int w, int outH, int outW, DeviceBuffer gradY, int gradYOffset,
                                          DeviceBuffer gradX, int gradXOffset)
    {
        var (input, _) = OperationChecks.AdaptivePool(this, "AdaptiveAvgPool2dBackward", n, c, h, w, outH, outW,
                                                      (nameof(gradY), gradY, gradYOffset, false), (nameof(gradX), gradX, gradXOffset, true));
        if (input > 0) Pooling.AdaptiveBackward(this, n * c, h, w, outH, outW, gradY, gradYOffset, gradX, gradXOffset);
    }
}
