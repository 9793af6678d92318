using Tensorlet.Kernels.Cpu.Conv;

namespace Tensorlet.Kernels.Cpu;

// Convolution entry points: check the geometry and that every operand fits its buffer, then run the
// im2col + GEMM kernels of Conv/ (with this backend's GEMM micro-kernel) over the arrays, fixed for the whole
// (possibly multithreaded) call.
public sealed partial class CpuBackend
{
    public unsafe void Conv2d(in Conv2dGeometry g, DeviceBuffer x, int xOffset, DeviceBuffer weight, int wOffset,
                              DeviceBuffer? bias, int bOffset, DeviceBuffer y, int yOffset)
    {
        OperationChecks.Conv2d(this, g, x, xOffset, weight, wOffset, bias, bOffset, y, yOffset);
        if (g.N == 0) return;
        fixed (float* sx = Array(x), sw = Array(weight), sb = ArrayOrNull(bias), sy = Array(y))
            ConvForward.Run(g, sx + xOffset, sw + wOffset, sb == null ? null : sb + bOffset, sy + yOffset, _gemm);
    }

    public unsafe void Conv2dBackwardInput(in Conv2dGeometry g, DeviceBuffer gradY, int gyOffset, DeviceBuffer weight, int wOffset,
                                           DeviceBuffer gradX, int gxOffset)
    {
        OperationChecks.Conv2dBackwardInput(this, g, gradY, gyOffset, weight, wOffset, gradX, gxOffset);
        if (g.N == 0) return;
        fixed (float* sgy = Array(gradY), sw = Array(weight), sgx = Array(gradX))
            ConvBackwardInput.Run(g, sgy + gyOffset, sw + wOffset, sgx + gxOffset, _gemm);
    }

    public unsafe void Conv2dBackwardWeight(in Conv2dGeometry g, DeviceBuffer x, int xOffset, DeviceBuffer gradY, int gyOffset,
                                            DeviceBuffer gradW, int gwOffset, DeviceBuffer? gradBias, int gbOffset)
    {
        OperationChecks.Conv2dBackwardWeight(this, g, x, xOffset, gradY, gyOffset, gradW, gwOffset, gradBias, gbOffset);
        fixed (float* sx = Array(x), sgy = Array(gradY), sgw = Array(gradW), sgb = ArrayOrNull(gradBias))
            ConvBackwardWeight.Run(g, sx + xOffset, sgy + gyOffset, sgw + gwOffset, sgb == null ? null : sgb + gbOffset, _gemm);
    }

    // Unfold and Fold run the convolution's own lowering kernels image by image (their layout is PyTorch's); they are
    // teaching and inspection ops, so one thread is enough.
    public unsafe void Unfold(in Conv2dGeometry g, DeviceBuffer x, int xOffset, DeviceBuffer cols, int colsOffset)
    {
        OperationChecks.Unfold(this, "Unfold", g, x, xOffset, cols, colsOffset);
        long image = (long)g.C * g.H * g.W, lowered = (long)g.C * g.KH * g.KW * g.OutH * g.OutW;
        var padded = new float[Im2Col.PaddedPlane(g)];
        fixed (float* sx = Array(x), sc = Array(cols), sp = padded)
            for (int n = 0; n < g.N; n++)
                Im2Col.Lower(g, sx + xOffset + n * image, g.C, sc + colsOffset + n * lowered, (nint)g.OutH * g.OutW, sp);
    }

    public unsafe void Fold(in Conv2dGeometry g, DeviceBuffer cols, int colsOffset, DeviceBuffer x, int xOffset)
    {
        OperationChecks.Unfold(this, "Fold", g, x, xOffset, cols, colsOffset);
        long image = (long)g.C * g.H * g.W, lowered = (long)g.C * g.KH * g.KW * g.OutH * g.OutW;
        var plane = new float[Col2Im.PlaneFloats(g)];
        fixed (float* sx = Array(x), sc = Array(cols), sp = plane)
            for (int n = 0; n < g.N; n++)
                Col2Im.Fold(g, sc + colsOffset + n * lowered, (nint)g.OutH * g.OutW, g.C, sx + xOffset + n * image, sp);
    }
}
