using Tensorlet.Kernels.Cpu.Conv;

namespace Tensorlet.Kernels.Cpu;

// Convolution entry points: check the geometry and every view, then run the im2col + GEMM kernels of Conv/ (with this
// backend's GEMM micro-kernel) over the arrays, fixed for the whole (possibly multithreaded) call. The kernels walk
// image by image, so x, gY, y and gX are taken as they are whenever each image is dense, whatever the distance between
// images (a channel slice of a wider buffer); weights, biases and other layouts are opened densely.
public sealed partial class CpuBackend
{
    public unsafe void Conv2d(in Conv2dGeometry g, in StridedView x, in StridedView weight, in StridedView? bias, in StridedView y)
    {
        OperationChecks.Conv2d(this, g, x, weight, bias, y);
        if (g.N == 0) return;
        using var xs = BlockOperand.Read(this, x, 1);
        using var ws = DenseOperand.Read(this, weight);
        using var bs = bias is { } b ? DenseOperand.Read(this, b) : default;
        using var ys = BlockOperand.Write(this, y, 1);
        fixed (float* px = Array(xs.Buffer), pw = Array(ws.Buffer), pb = ArrayOrNull(bs.View.Buffer), py = Array(ys.Buffer))
            ConvForward.Run(g, px + xs.Offset, pw + ws.Offset, pb == null ? null : pb + bs.Offset, py + ys.Offset, _gemm, xs.Stride0, ys.Stride0);
        ys.Complete();
    }

    public unsafe void Conv2dBackwardInput(in Conv2dGeometry g, in StridedView gradY, in StridedView weight, in StridedView gradX)
    {
        OperationChecks.Conv2dBackwardInput(this, g, gradY, weight, gradX);
        if (g.N == 0) return;
        using var gys = BlockOperand.Read(this, gradY, 1);
        using var ws = DenseOperand.Read(this, weight);
        using var gxs = BlockOperand.Write(this, gradX, 1);
        fixed (float* pgy = Array(gys.Buffer), pw = Array(ws.Buffer), pgx = Array(gxs.Buffer))
            ConvBackwardInput.Run(g, pgy + gys.Offset, pw + ws.Offset, pgx + gxs.Offset, _gemm, gxs.Stride0, gys.Stride0);
        gxs.Complete();
    }

    public unsafe void Conv2dBackwardWeight(in Conv2dGeometry g, in StridedView x, in StridedView gradY, in StridedView gradW,
                                            in StridedView? gradBias)
    {
        OperationChecks.Conv2dBackwardWeight(this, g, x, gradY, gradW, gradBias);
        using var xs = BlockOperand.Read(this, x, 1);
        using var gys = BlockOperand.Read(this, gradY, 1);
        using var gws = DenseOperand.Write(this, gradW);
        using var gbs = gradBias is { } gb ? DenseOperand.Write(this, gb) : default;
        fixed (float* px = Array(xs.Buffer), pgy = Array(gys.Buffer), pgw = Array(gws.Buffer), pgb = ArrayOrNull(gbs.View.Buffer))
            ConvBackwardWeight.Run(g, px + xs.Offset, pgy + gys.Offset, pgw + gws.Offset, pgb == null ? null : pgb + gbs.Offset, _gemm,
                                   xs.Stride0, gys.Stride0);
        gws.Complete();
        if (gradBias != null) gbs.Complete();
    }

    // Unfold and Fold run the convolution's own lowering kernels image by image (their layout is PyTorch's); they are
    // teaching and inspection ops, so one thread is enough.
    public unsafe void Unfold(in Conv2dGeometry g, in StridedView x, in StridedView cols)
    {
        OperationChecks.Unfold(this, "Unfold", g, x, cols);
        using var xs = BlockOperand.Read(this, x, 1);
        using var cs = BlockOperand.Write(this, cols, 1);
        var padded = new float[Im2Col.PaddedPlane(g)];
        fixed (float* px = Array(xs.Buffer), pc = Array(cs.Buffer), pp = padded)
            for (int n = 0; n < g.N; n++)
                Im2Col.Lower(g, px + xs.Offset + (nint)n * xs.Stride0, g.C, pc + cs.Offset + (nint)n * cs.Stride0, (nint)g.OutH * g.OutW, pp);
        cs.Complete();
    }

    public unsafe void Fold(in Conv2dGeometry g, in StridedView cols, in StridedView x)
    {
        OperationChecks.Unfold(this, "Fold", g, x, cols);
        using var cs = BlockOperand.Read(this, cols, 1);
        using var xs = BlockOperand.Write(this, x, 1);
        var plane = new float[Col2Im.PlaneFloats(g)];
        fixed (float* px = Array(xs.Buffer), pc = Array(cs.Buffer), pp = plane)
            for (int n = 0; n < g.N; n++)
                Col2Im.Fold(g, pc + cs.Offset + (nint)n * cs.Stride0, (nint)g.OutH * g.OutW, g.C, px + xs.Offset + (nint)n * xs.Stride0, pp);
        xs.Complete();
    }
}
