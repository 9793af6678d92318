using Tensorlet.Kernels.Cpu.Conv;

namespace Tensorlet.Kernels.Cpu;

// Convolution entry points: check the geometry and that every operand fits its buffer, then run the
// im2col + GEMM kernels of Conv/ over the arrays, fixed for the whole (possibly multithreaded) call.
public sealed partial class CpuBackend
{
    public unsafe void Conv2d(in Conv2dGeometry g, DeviceBuffer x, int xOffset, DeviceBuffer weight, int wOffset,
                              DeviceBuffer? bias, int bOffset, DeviceBuffer y, int yOffset)
    {
        const string op = "Conv2d";
        g.Validate();
        var px = Operand(op, nameof(x), x, xOffset, InputCount(g));
        var pw = Operand(op, nameof(weight), weight, wOffset, WeightCount(g));
        var pb = bias == null ? null : Operand(op, nameof(bias), bias, bOffset, g.K);
        var py = Operand(op, nameof(y), y, yOffset, OutputCount(g));
        if (g.N == 0) return;
        fixed (float* sx = px, sw = pw, sb = pb, sy = py)
            ConvForward.Run(g, sx + xOffset, sw + wOffset, sb == null ? null : sb + bOffset, sy + yOffset);
    }

    public unsafe void Conv2dBackwardInput(in Conv2dGeometry g, DeviceBuffer gradY, int gyOffset, DeviceBuffer weight, int wOffset,
                                           DeviceBuffer gradX, int gxOffset)
    {
        const string op = "Conv2dBackwardInput";
        g.Validate();
        var pgy = Operand(op, nameof(gradY), gradY, gyOffset, OutputCount(g));
        var pw = Operand(op, nameof(weight), weight, wOffset, WeightCount(g));
        var pgx = Operand(op, nameof(gradX), gradX, gxOffset, InputCount(g));
        if (g.N == 0) return;
        fixed (float* sgy = pgy, sw = pw, sgx = pgx)
            ConvBackwardInput.Run(g, sgy + gyOffset, sw + wOffset, sgx + gxOffset);
    }

    public unsafe void Conv2dBackwardWeight(in Conv2dGeometry g, DeviceBuffer x, int xOffset, DeviceBuffer gradY, int gyOffset,
                                            DeviceBuffer gradW, int gwOffset, DeviceBuffer? gradBias, int gbOffset)
    {
        const string op = "Conv2dBackwardWeight";
        g.Validate();
        var px = Operand(op, nameof(x), x, xOffset, InputCount(g));
        var pgy = Operand(op, nameof(gradY), gradY, gyOffset, OutputCount(g));
        var pgw = Operand(op, nameof(gradW), gradW, gwOffset, WeightCount(g));
        var pgb = gradBias == null ? null : Operand(op, nameof(gradBias), gradBias, gbOffset, g.K);
        fixed (float* sx = px, sgy = pgy, sgw = pgw, sgb = pgb)
            ConvBackwardWeight.Run(g, sx + xOffset, sgy + gyOffset, sgw + gwOffset, sgb == null ? null : sgb + gbOffset);
    }

    private float[] Operand(string op, string arg, DeviceBuffer buffer, int offset, long count)
    {
        var data = ArgumentChecks.Buffer(this, op, arg, buffer);
        ArgumentChecks.Range(op, arg, data.Length, offset, count);
        return data;
    }

    private static long InputCount(in Conv2dGeometry g) => (long)g.N * g.C * g.H * g.W;
    private static long OutputCount(in Conv2dGeometry g) => (long)g.N * g.K * g.OutH * g.OutW;
    private static long WeightCount(in Conv2dGeometry g) => (long)g.K * g.GroupC * g.KH * g.KW;
}
