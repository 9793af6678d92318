using Tensorlet.Kernels.Cpu.Conv;

namespace Tensorlet.Kernels.Cpu;

// Convolution entry points: check the geometry and that every operand fits its buffer, then run the
// im2col + GEMM kernels of Conv/ over the arrays, fixed for the whole (possibly multithreaded) call.
public sealed partial class CpuBackend
{
    public unsafe void Conv2d(in Conv2dGeometry g, DeviceBuffer x, int xOffset, DeviceBuffer weight, int wOffset,
                              DeviceBuffer? bias, int bOffset, DeviceBuffer y, int yOffset)
    {
        OperationChecks.Conv2d(this, g, x, xOffset, weight, wOffset, bias, bOffset, y, yOffset);
        if (g.N == 0) return;
        fixed (float* sx = Array(x), sw = Array(weight), sb = ArrayOrNull(bias), sy = Array(y))
            ConvForward.Run(g, sx + xOffset, sw + wOffset, sb == null ? null : sb + bOffset, sy + yOffset);
    }

    public unsafe void Conv2dBackwardInput(in Conv2dGeometry g, DeviceBuffer gradY, int gyOffset, DeviceBuffer weight, int wOffset,
                                           DeviceBuffer gradX, int gxOffset)
    {
        OperationChecks.Conv2dBackwardInput(this, g, gradY, gyOffset, weight, wOffset, gradX, gxOffset);
        if (g.N == 0) return;
        fixed (float* sgy = Array(gradY), sw = Array(weight), sgx = Array(gradX))
            ConvBackwardInput.Run(g, sgy + gyOffset, sw + wOffset, sgx + gxOffset);
    }

    public unsafe void Conv2dBackwardWeight(in Conv2dGeometry g, DeviceBuffer x, int xOffset, DeviceBuffer gradY, int gyOffset,
                                            DeviceBuffer gradW, int gwOffset, DeviceBuffer? gradBias, int gbOffset)
    {
        OperationChecks.Conv2dBackwardWeight(this, g, x, xOffset, gradY, gyOffset, gradW, gwOffset, gradBias, gbOffset);
        fixed (float* sx = Array(x), sgy = Array(gradY), sgw = Array(gradW), sgb = ArrayOrNull(gradBias))
            ConvBackwardWeight.Run(g, sx + xOffset, sgy + gyOffset, sgw + gwOffset, sgb == null ? null : sgb + gbOffset);
    }
}
