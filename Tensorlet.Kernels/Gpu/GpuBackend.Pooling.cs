namespace Tensorlet.Kernels.Gpu;

// Pooling entry points: the shared argument checks, then a kernel of PoolingKernels.cs (compiled on first use). The
// kernels read dense NCHW arrays, so each operand is opened through DenseOperand (a copy only for other layouts).
public sealed partial class GpuBackend
{
    private PoolingKernels? _pooling;

    private PoolingKernels Pooling => _pooling ??= new PoolingKernels(Accelerator);

    public void MaxPool2d(in Pool2dGeometry g, in StridedView x, in StridedView y, in StridedView indices) =>
        Max(g, x, y, indices, forward: true);

    /// <remarks>
    /// An index the forward pass could not have produced (outside its own output's window, fractional or NaN) is
    /// skipped by the kernel and reported as an <see cref="ArgumentOutOfRangeException"/> at the next
    /// <see cref="Synchronize"/> (or <see cref="Download"/>), as a bad Gather index is; the CPU backend throws at once.
    /// </remarks>
    public void MaxPool2dBackward(in Pool2dGeometry g, in StridedView gradY, in StridedView indices, in StridedView gradX) =>
        Max(g, gradY, indices, gradX, forward: false);

    /// <summary>
    /// Max pooling: forward from x (<paramref name="a"/>) into y and indices (<paramref name="b"/>, <paramref name="c"/>),
    /// or backward from gradY and indices (<paramref name="a"/>, <paramref name="b"/>) into gradX (<paramref name="c"/>).
    /// </summary>
    private void Max(in Pool2dGeometry g, in StridedView a, in StridedView b, in StridedView c, bool forward)
    {
        long elements = forward ? OperationChecks.MaxPool2d(this, g, a, b, c) : OperationChecks.MaxPool2dBackward(this, g, a, b, c);
        if (elements == 0) return;
        using var first = DenseOperand.Read(this, a);
        using var second = forward ? DenseOperand.Write(this, b) : DenseOperand.Read(this, b);
        using var third = DenseOperand.Write(this, c);
        if (forward) Pooling.MaxForward(this, g, first.Buffer, first.Offset, second.Buffer, second.Offset, third.Buffer, third.Offset);
        else Pooling.MaxBackward(this, g, first.Buffer, first.Offset, second.Buffer, second.Offset, third.Buffer, third.Offset);
        if (forward) second.Complete();
        third.Complete();
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
