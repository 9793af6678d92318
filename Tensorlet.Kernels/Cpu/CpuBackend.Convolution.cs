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
        var geometry = g;
        nint positions = (nint)g.OutH * g.OutW;
        var gather = Conv.SmallPlaneGather.For(g);
        ByImage(g.N, x, cols, Im2Col.PaddedPlane(g),
                (image, imageCols, padded) => Im2Col.Lower(geometry, image, geometry.C, imageCols, positions, padded, gather));
    }

    public unsafe void Fold(in Conv2dGeometry g, in StridedView cols, in StridedView x)
    {
        OperationChecks.Unfold(this, "Fold", g, x, cols);
        var geometry = g;
        nint positions = (nint)g.OutH * g.OutW;
        ByImage(g.N, cols, x, Col2Im.PlaneFloats(g),
                (imageCols, image, plane) => Col2Im.Fold(geometry, imageCols, positions, geometry.C, image, plane));
    }

    private unsafe delegate void ImageKernel(float* src, float* dst, float* scratch);

    /// <summary>
    /// Runs <paramref name="kernel"/> on each of <paramref name="images"/> images of src and dst (block operands along
    /// dim 0), with <paramref name="scratchFloats"/> floats of scratch shared by all of them.
    /// </summary>
    private unsafe void ByImage(int images, in StridedView src, in StridedView dst, long scratchFloats, ImageKernel kernel)
    {
        using var ss = BlockOperand.Read(this, src, 1);
        using var ds = BlockOperand.Write(this, dst, 1);
        var scratch = new float[scratchFloats];
        fixed (float* ps = Array(ss.Buffer), pd = Array(ds.Buffer), pp = scratch)
            for (int n = 0; n < images; n++)
                kernel(ps + ss.Offset + (nint)n * ss.Stride0, pd + ds.Offset + (nint)n * ds.Stride0, pp);
        ds.Complete();
    }
}
