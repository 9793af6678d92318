namespace Tensorlet.Kernels.Reference;

// Convolution, pooling, batch-norm and dropout entry points: the shared checks, then the loops of Conv2d.cs, Im2Col.cs,
// Pooling.cs and Normalization.cs on dense copies of the operands' elements, read from and stored into the views
// through HostView (so every layout is handled the same way, element by element).
public sealed partial class ReferenceBackend
{
    public void Conv2d(in Conv2dGeometry g, in StridedView x, in StridedView weight, in StridedView? bias, in StridedView y)
    {
        OperationChecks.Conv2d(this, g, x, weight, bias, y);
        var b = bias is { } bv ? Dense(bv) : null;
        Store(Reference.Conv2d.Forward(g, Dense(x), Dense(weight), b), y);
    }

    public void Conv2dBackwardInput(in Conv2dGeometry g, in StridedView gradY, in StridedView weight, in StridedView gradX)
    {
        OperationChecks.Conv2dBackwardInput(this, g, gradY, weight, gradX);
        Store(Reference.Conv2d.BackwardInput(g, Dense(gradY), Dense(weight)), gradX);
    }

    public void Conv2dBackwardWeight(in Conv2dGeometry g, in StridedView x, in StridedView gradY, in StridedView gradW, in StridedView? gradBias)
    {
        OperationChecks.Conv2dBackwardWeight(this, g, x, gradY, gradW, gradBias);
        var (gw, gb) = Reference.Conv2d.BackwardWeight(g, Dense(x), Dense(gradY));
        Store(gw, gradW);
        if (gradBias is { } gbv) Store(gb, gbv);
    }

    public void Unfold(in Conv2dGeometry g, in StridedView x, in StridedView cols)
    {
        OperationChecks.Unfold(this, "Unfold", g, x, cols);
        Store(Im2Col.Unfold(g, Dense(x)), cols);
    }

    public void Fold(in Conv2dGeometry g, in StridedView cols, in StridedView x)
    {
        OperationChecks.Unfold(this, "Fold", g, x, cols);
        Store(Im2Col.Fold(g, Dense(cols)), x);
    }

    public void MaxPool2d(in Pool2dGeometry g, in StridedView x, in StridedView y, in StridedView indices)
    {
        OperationChecks.MaxPool2d(this, g, x, y, indices);
        var (values, at) = Pooling.MaxPool2d(g, Dense(x));
        Store(values, y);
        Store(at, indices);
    }

    public void MaxPool2dBackward(in Pool2dGeometry g, in StridedView gradY, in StridedView indices, in StridedView gradX)
    {
        OperationChecks.MaxPool2dBackward(this, g, gradY, indices, gradX);
        Store(Pooling.MaxPool2dBackward(g, Dense(gradY), Dense(indices)), gradX);
    }

    public void AvgPool2d(in Pool2dGeometry g, in StridedView x, in StridedView y)
    {
        OperationChecks.AvgPool2d(this, g, x, y);
        Store(Pooling.AvgPool2d(g, Dense(x)), y);
    }

    public void AvgPool2dBackward(in Pool2dGeometry g, in StridedView gradY, in StridedView gradX)
    {
        OperationChecks.AvgPool2dBackward(this, g, gradY, gradX);
        Store(Pooling.AvgPool2dBackward(g, Dense(gradY)), gradX);
    }

    public void AdaptiveAvgPool2d(in StridedView x, in StridedView y)
    {
        var s = OperationChecks.AdaptiveAvgPool2d(this, x, y);
        Store(Pooling.AdaptiveAvgPool2d(s.N, s.C, s.H, s.W, s.OutH, s.OutW, Dense(x)), y);
    }

    public void AdaptiveAvgPool2dBackward(in StridedView gradY, in StridedView gradX)
    {
        var s = OperationChecks.AdaptiveAvgPool2dBackward(this, gradY, gradX);
        Store(Pooling.AdaptiveAvgPool2dBackward(s.N, s.C, s.H, s.W, s.OutH, s.OutW, Dense(gradY)), gradX);
    }

    public void BatchNormForward(BatchNormArgs args, in StridedView y)
    {
        long count = OperationChecks.BatchNormForward(this, args, y);
        // An empty batch has no statistics: nothing is written and the running statistics stay as they are.
        if (count == 0) return;
        var a = args;
        float[]? rm = ReadOrNull(a.RunningMean), rv = ReadOrNull(a.RunningVar);
        var (values, mean, invStd) = Normalization.BatchNormForward(a.N, a.C, a.HW, Dense(a.X), ReadOrNull(a.Gamma), ReadOrNull(a.Beta),
                                                                    rm, rv, a.UseBatchStats, a.Momentum, a.Eps);
        Store(values, y);
        Store(mean, a.SaveMean);
        Store(invStd, a.SaveInvStd);
        if (rm != null) Store(rm, a.RunningMean!.Value);
        if (rv != null) Store(rv, a.RunningVar!.Value);
    }

    public void BatchNormBackward(BatchNormArgs args, in StridedView gradY, BatchNormGrads grads)
    {
        OperationChecks.BatchNormBackward(this, args, gradY, grads);
        var a = args;
        var (gx, gg, gb) = Normalization.BatchNormBackward(a.N, a.C, a.HW, Dense(a.X), Dense(gradY), ReadOrNull(a.Gamma), Dense(a.SaveMean),
                                                           Dense(a.SaveInvStd), a.UseBatchStats);
        if (grads.GradX is { } gxv) Store(gx, gxv);
        if (grads.GradGamma is { } ggv) Store(gg, ggv);
        if (grads.GradBeta is { } gbv) Store(gb, gbv);
    }

    private static float[]? ReadOrNull(in StridedView? view) => view is { } v ? Dense(v) : null;

    public void DropoutMask(in StridedView mask, float p, ulong seed, ulong counterBase)
    {
        OperationChecks.DropoutMask(this, mask, p);
        Store(Normalization.DropoutMask(mask.Count, p, seed, counterBase), mask);
    }
}
