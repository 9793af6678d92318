namespace Tensorlet.Kernels.Cpu;

// Pooling entry points: check the geometry and every view, then run the kernels of Pooling.cs. They work plane by
// plane, so any operand whose H×W planes are dense is walked in place, whatever the batch and channel strides.
public sealed partial class CpuBackend
{
    public void MaxPool2d(in Pool2dGeometry g, in StridedView x, in StridedView y, in StridedView indices)
    {
        var (_, output) = OperationChecks.Pool(this, "MaxPool2d", g, (nameof(x), x, true), (nameof(y), y, false), (nameof(indices), indices, false));
        if (output == 0) return;
        using var xs = BlockOperand.Read(this, x, 2);
        using var ys = BlockOperand.Write(this, y, 2);
        using var ids = BlockOperand.Write(this, indices, 2);
        Pooling.MaxForward(g, Planes.Of(xs, g.C), Planes.Of(ys, g.C), Planes.Of(ids, g.C));
        ys.Complete();
        ids.Complete();
    }

    public void MaxPool2dBackward(in Pool2dGeometry g, in StridedView gradY, in StridedView indices, in StridedView gradX)
    {
        var (input, _) = OperationChecks.Pool(this, "MaxPool2dBackward", g, (nameof(gradY), gradY, false), (nameof(indices), indices, false),
                                              (nameof(gradX), gradX, true));
        if (input == 0) return;
        using var gys = BlockOperand.Read(this, gradY, 2);
        using var ids = BlockOperand.Read(this, indices, 2);
        using var gxs = BlockOperand.Write(this, gradX, 2);
        Pooling.MaxBackward(g, Planes.Of(gys, g.C), Planes.Of(ids, g.C), Planes.Of(gxs, g.C));
        gxs.Complete();
    }

    public void AvgPool2d(in Pool2dGeometry g, in StridedView x, in StridedView y)
    {
        var (_, output) = OperationChecks.Pool(this, "AvgPool2d", g, (nameof(x), x, true), (nameof(y), y, false));
        var (rows, cols) = PoolWindows.Of(g);
        if (output > 0) Average(g.C, g.H, g.W, rows, cols, x, y, forward: true);
    }

    public void AvgPool2dBackward(in Pool2dGeometry g, in StridedView gradY, in StridedView gradX)
    {
        var (input, _) = OperationChecks.Pool(this, "AvgPool2dBackward", g, (nameof(gradY), gradY, false), (nameof(gradX), gradX, true));
        var (rows, cols) = PoolWindows.Of(g);
        if (input > 0) Average(g.C, g.H, g.W, rows, cols, gradY, gradX, forward: false);
    }

    public void AdaptiveAvgPool2d(in StridedView x, in StridedView y)
    {
        var s = OperationChecks.AdaptivePool(this, "AdaptiveAvgPool2d", (nameof(x), x), (nameof(y), y));
        if (s.Planes > 0)
            Average(s.C, s.H, s.W, PoolWindows.Adaptive(s.H, s.OutH), PoolWindows.Adaptive(s.W, s.OutW), x, y, forward: true);
    }

    public void AdaptiveAvgPool2dBackward(in StridedView gradY, in StridedView gradX)
    {
        var s = OperationChecks.AdaptivePool(this, "AdaptiveAvgPool2dBackward", (nameof(gradX), gradX), (nameof(gradY), gradY));
        if (s.Planes > 0)
            Average(s.C, s.H, s.W, PoolWindows.Adaptive(s.H, s.OutH), PoolWindows.Adaptive(s.W, s.OutW), gradY, gradX, forward: false);
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
