namespace Tensorlet.Kernels.Cpu;

// Pooling entry points: check the geometry and every view, then run the kernels of Pooling.cs. They work plane by
// plane, so any operand whose H×W planes are dense is walked in place, whatever the batch and channel strides.
public sealed partial class CpuBackend
{
    public void MaxPool2d(in Pool2dGeometry g, in StridedView x, in StridedView y, in StridedView indices) =>
        Max(g, x, y, indices, forward: true);

    public void MaxPool2dBackward(in Pool2dGeometry g, in StridedView gradY, in StridedView indices, in StridedView gradX) =>
        Max(g, gradY, indices, gradX, forward: false);

    public void AvgPool2d(in Pool2dGeometry g, in StridedView x, in StridedView y)
    {
        if (OperationChecks.AvgPool2d(this, g, x, y) == 0) return;
        var (rows, cols) = PoolWindows.Of(g);
        Average(g.C, g.H, g.W, rows, cols, x, y, forward: true);
    }

    public void AvgPool2dBackward(in Pool2dGeometry g, in StridedView gradY, in StridedView gradX)
    {
        if (OperationChecks.AvgPool2dBackward(this, g, gradY, gradX) == 0) return;
        var (rows, cols) = PoolWindows.Of(g);
        Average(g.C, g.H, g.W, rows, cols, gradY, gradX, forward: false);
    }

    public void AdaptiveAvgPool2d(in StridedView x, in StridedView y)
    {
        var s = OperationChecks.AdaptiveAvgPool2d(this, x, y);
        if (s.Planes > 0)
            Average(s.C, s.H, s.W, PoolWindows.Adaptive(s.H, s.OutH), PoolWindows.Adaptive(s.W, s.OutW), x, y, forward: true);
    }

    public void AdaptiveAvgPool2dBackward(in StridedView gradY, in StridedView gradX)
    {
        var s = OperationChecks.AdaptiveAvgPool2dBackward(this, gradY, gradX);
        if (s.Planes > 0)
            Average(s.C, s.H, s.W, PoolWindows.Adaptive(s.H, s.OutH), PoolWindows.Adaptive(s.W, s.OutW), gradY, gradX, forward: false);
    }

    /// <summary>
    /// Max pooling: forward from x (<paramref name="a"/>) into y and indices (<paramref name="b"/>, <paramref name="c"/>),
    /// or backward from gradY and indices (<paramref name="a"/>, <paramref name="b"/>) into gradX (<paramref name="c"/>).
    /// </summary>
    private void Max(in Pool2dGeometry g, in StridedView a, in StridedView b, in StridedView c, bool forward)
    {
        long elements = forward ? OperationChecks.MaxPool2d(this, g, a, b, c) : OperationChecks.MaxPool2dBackward(this, g, a, b, c);
        if (elements == 0) return;
        using var first = BlockOperand.Read(this, a, 2);
        using var second = forward ? BlockOperand.Write(this, b, 2) : BlockOperand.Read(this, b, 2);
        using var third = BlockOperand.Write(this, c, 2);
        if (forward) Pooling.MaxForward(g, Planes.Of(first, g.C), Planes.Of(second, g.C), Planes.Of(third, g.C));
        else Pooling.MaxBackward(g, Planes.Of(first, g.C), Planes.Of(second, g.C), Planes.Of(third, g.C));
        if (forward) second.Complete();
        third.Complete();
    }

    /// <summary>An average pooling (forward) or its adjoint (backward) from <paramref name="src"/> into <paramref name="dst"/>.</summary>
    private void Average(int c, int h, int w, PoolWindows rows, PoolWindows cols, in StridedView src, in StridedView dst, bool forward)
    {
        using var ss = BlockOperand.Read(this, src, 2);
        using var ds = BlockOperand.Write(this, dst, 2);
        int planes = src.Shape[0] * c;
        if (forward) Pooling.AvgForward(planes, h, w, rows, cols, Planes.Of(ss, c), Planes.Of(ds, c));
        else Pooling.AvgBackward(planes, h, w, rows, cols, Planes.Of(ss, c), Planes.Of(ds, c));
        ds.Complete();
    }
}
