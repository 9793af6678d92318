namespace Tensorlet.Kernels.Cpu;

// Pooling entry points: check the geometry and every buffer range, then run the kernels of Pooling.cs.
public sealed partial class CpuBackend
{
    public void MaxPool2d(in Pool2dGeometry g, DeviceBuffer x, int xOffset, DeviceBuffer y, int yOffset, DeviceBuffer indices, int indicesOffset)
    {
        var (_, output) = OperationChecks.Pool(this, "MaxPool2d", g, (nameof(x), x, xOffset, true), (nameof(y), y, yOffset, false),
                                               (nameof(indices), indices, indicesOffset, false));
        if (output > 0) Pooling.MaxForward(g, Array(x), xOffset, Array(y), yOffset, Array(indices), indicesOffset);
    }

    public void MaxPool2dBackward(in Pool2dGeometry g, DeviceBuffer gradY, int gradYOffset, DeviceBuffer indices, int indicesOffset,
                                  DeviceBuffer gradX, int gradXOffset)
    {
        var (input, _) = OperationChecks.Pool(this, "MaxPool2dBackward", g, (nameof(gradY), gradY, gradYOffset, false),
                                              (nameof(indices), indices, indicesOffset, false), (nameof(gradX), gradX, gradXOffset, true));
        if (input > 0) Pooling.MaxBackward(g, Array(gradY), gradYOffset, Array(indices), indicesOffset, Array(gradX), gradXOffset);
    }

    public void AvgPool2d(in Pool2dGeometry g, DeviceBuffer x, int xOffset, DeviceBuffer y, int yOffset)
    {
        var (_, output) = OperationChecks.Pool(this, "AvgPool2d", g, (nameof(x), x, xOffset, true), (nameof(y), y, yOffset, false));
        var (rows, cols) = PoolWindows.Of(g);
        if (output > 0) Pooling.AvgForward(g.N * g.C, g.H, g.W, rows, cols, Array(x), xOffset, Array(y), yOffset);
    }

    public void AvgPool2dBackward(in Pool2dGeometry g, DeviceBuffer gradY, int gradYOffset, DeviceBuffer gradX, int gradXOffset)
    {
        var (input, _) = OperationChecks.Pool(this, "AvgPool2dBackward", g, (nameof(gradY), gradY, gradYOffset, false),
                                              (nameof(gradX), gradX, gradXOffset, true));
        var (rows, cols) = PoolWindows.Of(g);
        if (input > 0) Pooling.AvgBackward(g.N * g.C, g.H, g.W, rows, cols, Array(gradY), gradYOffset, Array(gradX), gradXOffset);
    }

    public void AdaptiveAvgPool2d(int n, int c, int h, int w, int outH, int outW, DeviceBuffer x, int xOffset, DeviceBuffer y, int yOffset)
    {
        var (_, output) = OperationChecks.AdaptivePool(this, "AdaptiveAvgPool2d", n, c, h, w, outH, outW,
                                                       (nameof(x), x, xOffset, true), (nameof(y), y, yOffset, false));
        if (output > 0)
            Pooling.AvgForward(n * c, h, w, PoolWindows.Adaptive(h, outH), PoolWindows.Adaptive(w, outW), Array(x), xOffset, Array(y), yOffset);
    }

    public void AdaptiveAvgPool2dBackward(int n, int c, int h, int w, int outH, int outW, DeviceBuffer gradY, int gradYOffset,
                                          DeviceBuffer gradX, int gradXOffset)
    {
        var (input, _) = OperationChecks.AdaptivePool(this, "AdaptiveAvgPool2dBackward", n, c, h, w, outH, outW,
                                                      (nameof(gradY), gradY, gradYOffset, false), (nameof(gradX), gradX, gradXOffset, true));
        if (input > 0)
            Pooling.AvgBackward(n * c, h, w, PoolWindows.Adaptive(h, outH), PoolWindows.Adaptive(w, outW),
                                Array(gradY), gradYOffset, Array(gradX), gradXOffset);
    }
}
