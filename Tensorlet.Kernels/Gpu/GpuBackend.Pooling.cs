namespace Tensorlet.Kernels.Gpu;

// Pooling entry points: the shared argument checks, then a kernel of PoolingKernels.cs (compiled on first use). The
// kernels read dense NCHW arrays, so each operand is opened through DenseOperand (a copy only for other layouts).
public sealed partial class GpuBackend
{
    private PoolingKernels? _pooling;

    private PoolingKernels Pooling => _pooling ??= new PoolingKernels(Accelerator);

    public void MaxPool2d(in Pool2dGeometry g, in StridedView x, in StridedView y, in StridedView indices)
    {
        if (OperationChecks.MaxPool2d(this, g, x, y, indices) == 0) return;
        using var xs = DenseOperand.Read(this, x);
        using var ys = DenseOperand.Write(this, y);
        using var ids = DenseOperand.Write(this, indices);
        Pooling.MaxForward(this, g, xs.Buffer, xs.Offset, ys.Buffer, ys.Offset, ids.Buffer, ids.Offset);
        ys.Complete();
        ids.Complete();
    }

    /// <remarks>
    /// An index the forward pass could not have produced (outside its own output's window, fractional or NaN) is
    /// skipped by the kernel and reported as an <see cref="ArgumentOutOfRangeException"/> at the next
    /// <see cref="Synchronize"/> (or <see cref="Download"/>), as a bad Gather index is; the CPU backend throws at once.
    /// </remarks>
    public void MaxPool2dBackward(in Pool2dGeometry g, in StridedView gradY, in StridedView indices, in StridedView gradX)
    {
        if (OperationChecks.MaxPool2dBackward(this, g, gradY, indices, gradX) == 0) return;
        using var gys = DenseOperand.Read(this, gradY);
        using var ids = DenseOperand.Read(this, indices);
        using var gxs = DenseOperand.Write(this, gradX);
        Pooling.MaxBackward(this, g, gys.Buffer, gys.Offset, ids.Buffer, ids.Offset, gxs.Buffer, gxs.Offset);
        gxs.Complete();
    }

    public void AvgPool2d(in Pool2dGeometry g, in StridedView x, in StridedView y)
    {
        if (OperationChecks.AvgPool2d(this, g, x, y) == 0) return;
        var geometry = g;
        RunDense(x, y, (src, srcOffset, dst, dstOffset) =>
            Pooling.AvgForward(this, geometry, src, srcOffset, dst, dstOffset));
    }

    public void AvgPool2dBackward(in Pool2dGeometry g, in StridedView gradY, in StridedView gradX)
    {
        if (OperationChecks.AvgPool2dBackward(this, g, gradY, gradX) == 0) return;
        var geometry = g;
        RunDense(gradY, gradX, (src, srcOffset, dst, dstOffset) =>
            Pooling.AvgBackward(this, geometry, src, srcOffset, dst, dstOffset));
    }

    public void AdaptiveAvgPool2d(in StridedView x, in StridedView y)
    {
        var s = OperationChecks.AdaptiveAvgPool2d(this, x, y);
        if (s.Planes == 0) return;
        RunDense(x, y, (src, srcOffset, dst, dstOffset) =>
            Pooling.AdaptiveForward(this, s.Planes, s.H, s.W, s.OutH, s.OutW, src, srcOffset, dst, dstOffset));
    }

    public void AdaptiveAvgPool2dBackward(in StridedView gradY, in StridedView gradX)
    {
        var s = OperationChecks.AdaptiveAvgPool2dBackward(this, gradY, gradX);
        if (s.Planes == 0) return;
        RunDense(gradY, gradX, (src, srcOffset, dst, dstOffset) =>
            Pooling.AdaptiveBackward(this, s.Planes, s.H, s.W, s.OutH, s.OutW, src, srcOffset, dst, dstOffset));
    }
}
