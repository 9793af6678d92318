namespace Tensorlet.Kernels.Cpu;

// Pooling entry points: check the geometry and every buffer range, then run the kernels of Pooling.cs.
public sealed partial class CpuBackend
{
    public void MaxPool2d(in Pool2dGeometry g, DeviceBuffer x, int xOffset, DeviceBuffer y, int yOffset, DeviceBuffer indices, int indicesOffset)
    {
        var (input, output) = PoolSizes(g);
        var px = PoolOperand("MaxPool2d", nameof(x), x, xOffset, input);
        var py = PoolOperand("MaxPool2d", nameof(y), y, yOffset, output);
        var pi = PoolOperand("MaxPool2d", nameof(indices), indices, indicesOffset, output);
        if (output > 0) Pooling.MaxForward(g, px, xOffset, py, yOffset, pi, indicesOffset);
    }

    public void MaxPool2dBackward(in Pool2dGeometry g, DeviceBuffer gradY, int gradYOffset, DeviceBuffer indices, int indicesOffset,
                                  DeviceBuffer gradX, int gradXOffset)
    {
        var (input, output) = PoolSizes(g);
        var gy = PoolOperand("MaxPool2dBackward", nameof(gradY), gradY, gradYOffset, output);
        var pi = PoolOperand("MaxPool2dBackward", nameof(indices), indices, indicesOffset, output);
        var gx = PoolOperand("MaxPool2dBackward", nameof(gradX), gradX, gradXOffset, input);
        if (input > 0) Pooling.MaxBackward(g, gy, gradYOffset, pi, indicesOffset, gx, gradXOffset);
    }

    public void AvgPool2d(in Pool2dGeometry g, DeviceBuffer x, int xOffset, DeviceBuffer y, int yOffset)
    {
        var (input, output) = PoolSizes(g);
        var px = PoolOperand("AvgPool2d", nameof(x), x, xOffset, input);
        var py = PoolOperand("AvgPool2d", nameof(y), y, yOffset, output);
        var (rows, cols) = PoolWindows.Of(g);
        if (output > 0) Pooling.AvgForward(g.N * g.C, g.H, g.W, rows, cols, px, xOffset, py, yOffset);
    }

    public void AvgPool2dBackward(in Pool2dGeometry g, DeviceBuffer gradY, int gradYOffset, DeviceBuffer gradX, int gradXOffset)
    {
        var (input, output) = PoolSizes(g);
        var gy = PoolOperand("AvgPool2dBackward", nameof(gradY), gradY, gradYOffset, output);
        var gx = PoolOperand("AvgPool2dBackward", nameof(gradX), gradX, gradXOffset, input);
        var (rows, cols) = PoolWindows.Of(g);
        if (input > 0) Pooling.AvgBackward(g.N * g.C, g.H, g.W, rows, cols, gy, gradYOffset, gx, gradXOffset);
    }

    public void AdaptiveAvgPool2d(int n, int c, int h, int w, int outH, int outW, DeviceBuffer x, int xOffset, DeviceBuffer y, int yOffset)
    {
        var (input, output) = AdaptiveSizes("AdaptiveAvgPool2d", n, c, h, w, outH, outW);
        var px = PoolOperand("AdaptiveAvgPool2d", nameof(x), x, xOffset, input);
        var py = PoolOperand("AdaptiveAvgPool2d", nameof(y), y, yOffset, output);
        if (output > 0)
            Pooling.AvgForward(n * c, h, w, PoolWindows.Adaptive(h, outH), PoolWindows.Adaptive(w, outW), px, xOffset, py, yOffset);
    }

    public void AdaptiveAvgPool2dBackward(int n, int c, int h, int w, int outH, int outW, DeviceBuffer gradY, int gradYOffset,
                                          DeviceBuffer gradX, int gradXOffset)
    {
        var (input, output) = AdaptiveSizes("AdaptiveAvgPool2dBackward", n, c, h, w, outH, outW);
        var gy = PoolOperand("AdaptiveAvgPool2dBackward", nameof(gradY), gradY, gradYOffset, output);
        var gx = PoolOperand("AdaptiveAvgPool2dBackward", nameof(gradX), gradX, gradXOffset, input);
        if (input > 0)
            Pooling.AvgBackward(n * c, h, w, PoolWindows.Adaptive(h, outH), PoolWindows.Adaptive(w, outW), gy, gradYOffset, gx, gradXOffset);
    }

    private static (long Input, long Output) PoolSizes(in Pool2dGeometry g)
    {
        g.Validate();
        long planes = (long)g.N * g.C;
        return (planes * g.H * g.W, planes * g.OutH * g.OutW);
    }

    private static (long Input, long Output) AdaptiveSizes(string op, int n, int c, int h, int w, int outH, int outW)
    {
        ArgumentChecks.NonNegative(op, (nameof(n), n), (nameof(c), c), (nameof(h), h), (nameof(w), w), (nameof(outH), outH), (nameof(outW), outW));
        if (h == 0 || w == 0 || outH == 0 || outW == 0)
            throw new ArgumentException($"{op}: input {h}×{w} and output {outH}×{outW} must be non-empty.");
        long planes = (long)n * c;
        return (planes * h * w, planes * outH * outW);
    }

    private float[] PoolOperand(string op, string arg, DeviceBuffer buffer, int offset, long count)
    {
        var data = ArgumentChecks.Buffer(this, op, arg, buffer);
        ArgumentChecks.Range(op, arg, data.Length, offset, count);
        return data;
    }
}
