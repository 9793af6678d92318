namespace Tensorlet.Kernels.Reference;

// Convolution, pooling, batch-norm and dropout entry points: the shared checks, then the loops of Conv2d.cs, Im2Col.cs,
// Pooling.cs and Normalization.cs on copies of the operands (those work on arrays that start at element 0).
public sealed partial class ReferenceBackend
{
    public void Conv2d(in Conv2dGeometry g, DeviceBuffer x, int xOffset, DeviceBuffer weight, int wOffset,
                       DeviceBuffer? bias, int bOffset, DeviceBuffer y, int yOffset)
    {
        OperationChecks.Conv2d(this, g, x, xOffset, weight, wOffset, bias, bOffset, y, yOffset);
        var b = bias == null ? null : Read(bias, bOffset, g.K);
        Store(Reference.Conv2d.Forward(g, Read(x, xOffset, Images(g)), Read(weight, wOffset, Weights(g)), b), y, yOffset);
    }

    public void Conv2dBackwardInput(in Conv2dGeometry g, DeviceBuffer gradY, int gyOffset, DeviceBuffer weight, int wOffset,
                                    DeviceBuffer gradX, int gxOffset)
    {
        OperationChecks.Conv2dBackwardInput(this, g, gradY, gyOffset, weight, wOffset, gradX, gxOffset);
        Store(Reference.Conv2d.BackwardInput(g, Read(gradY, gyOffset, Outputs(g)), Read(weight, wOffset, Weights(g))), gradX, gxOffset);
    }

    public void Conv2dBackwardWeight(in Conv2dGeometry g, DeviceBuffer x, int xOffset, DeviceBuffer gradY, int gyOffset,
                                     DeviceBuffer gradW, int gwOffset, DeviceBuffer? gradBias, int gbOffset)
    {
        OperationChecks.Conv2dBackwardWeight(this, g, x, xOffset, gradY, gyOffset, gradW, gwOffset, gradBias, gbOffset);
        var (gw, gb) = Reference.Conv2d.BackwardWeight(g, Read(x, xOffset, Images(g)), Read(gradY, gyOffset, Outputs(g)));
        Store(gw, gradW, gwOffset);
        if (gradBias != null) Store(gb, gradBias, gbOffset);
    }

    public void Unfold(in Conv2dGeometry g, DeviceBuffer x, int xOffset, DeviceBuffer cols, int colsOffset)
    {
        OperationChecks.Unfold(this, "Unfold", g, x, xOffset, cols, colsOffset);
        Store(Im2Col.Unfold(g, Read(x, xOffset, Images(g))), cols, colsOffset);
    }

    public void Fold(in Conv2dGeometry g, DeviceBuffer cols, int colsOffset, DeviceBuffer x, int xOffset)
    {
        OperationChecks.Unfold(this, "Fold", g, x, xOffset, cols, colsOffset);
        Store(Im2Col.Fold(g, Read(cols, colsOffset, (long)g.N * g.C * g.KH * g.KW * g.OutH * g.OutW)), x, xOffset);
    }

    private static long Images(in Conv2dGeometry g) => (long)g.N * g.C * g.H * g.W;
    private static long Outputs(in Conv2dGeometry g) => (long)g.N * g.K * g.OutH * g.OutW;
    private static long Weights(in Conv2dGeometry g) => (long)g.K * g.GroupC * g.KH * g.KW;

    public void MaxPool2d(in Pool2dGeometry g, DeviceBuffer x, int xOffset, DeviceBuffer y, int yOffset, DeviceBuffer indices, int indicesOffset)
    {
        var (input, _) = OperationChecks.Pool(this, "MaxPool2d", g, (nameof(x), x, xOffset, true), (nameof(y), y, yOffset, false),
                                              (nameof(indices), indices, indicesOffset, false));
        var (values, at) = Pooling.MaxPool2d(g, Read(x, xOffset, input));
        Store(values, y, yOffset);
        Store(at, indices, indicesOffset);
    }

    public void MaxPool2dBackward(in Pool2dGeometry g, DeviceBuffer gradY, int gradYOffset, DeviceBuffer indices, int indicesOffset,
                                  DeviceBuffer gradX, int gradXOffset)
    {
        var (_, output) = OperationChecks.Pool(this, "MaxPool2dBackward", g, (nameof(gradY), gradY, gradYOffset, false),
                                               (nameof(indices), indices, indicesOffset, false), (nameof(gradX), gradX, gradXOffset, true));
        Store(Pooling.MaxPool2dBackward(g, Read(gradY, gradYOffset, output), Read(indices, indicesOffset, output)), gradX, gradXOffset);
    }

    public void AvgPool2d(in Pool2dGeometry g, DeviceBuffer x, int xOffset, DeviceBuffer y, int yOffset)
    {
        var (input, _) = OperationChecks.Pool(this, "AvgPool2d", g, (nameof(x), x, xOffset, true), (nameof(y), y, yOffset, false));
        Store(Pooling.AvgPool2d(g, Read(x, xOffset, input)), y, yOffset);
    }

    public void AvgPool2dBackward(in Pool2dGeometry g, DeviceBuffer gradY, int gradYOffset, DeviceBuffer gradX, int gradXOffset)
    {
        var (_, output) = OperationChecks.Pool(this, "AvgPool2dBackward", g, (nameof(gradY), gradY, gradYOffset, false),
                                               (nameof(gradX), gradX, gradXOffset, true));
        Store(Pooling.AvgPool2dBackward(g, Read(gradY, gradYOffset, output)), gradX, gradXOffset);
    }

    public void AdaptiveAvgPool2d(int n, int c, int h, int w, int outH, int outW, DeviceBuffer x, int xOffset, DeviceBuffer y, int yOffset)
    {
        var (input, _) = OperationChecks.AdaptivePool(this, "AdaptiveAvgPool2d", n, c, h, w, outH, outW,
                                                      (nameof(x), x, xOffset, true), (nameof(y), y, yOffset, false));
        Store(Pooling.AdaptiveAvgPool2d(n, c, h, w, outH, outW, Read(x, xOffset, input)), y, yOffset);
    }

    public void AdaptiveAvgPool2dBackward(int n, int c, int h, int w, int outH, int outW, DeviceBuffer gradY, int gradYOffset,
                                          DeviceBuffer gradX, int gradXOffset)
    {
        var (_, output) = OperationChecks.AdaptivePool(this, "AdaptiveAvgPool2dBackward", n, c, h, w, outH, outW,
                                                       (nameof(gradY), gradY, gradYOffset, false), (nameof(gradX), gradX, gradXOffset, true));
        Store(Pooling.AdaptiveAvgPool2dBackward(n, c, h, w, outH, outW, Read(gradY, gradYOffset, output)), gradX, gradXOffset);
    }

    public void BatchNormForward(BatchNormArgs args, DeviceBuffer y, int yOffset)
    {
        long count = OperationChecks.BatchNormForward(this, args, y, yOffset);
        // An empty batch has no statistics: nothing is written and the running statistics stay as they are.
        if (count == 0) return;
        var a = args;
        float[]? rm = ReadOrNull(a.RunningMean, a.C), rv = ReadOrNull(a.RunningVar, a.C);
        var (values, mean, invStd) = Normalization.BatchNormForward(a.N, a.C, a.HW, Read(a.X, a.XOffset, count), ReadOrNull(a.Gamma, a.C),
                                                                    ReadOrNull(a.Beta, a.C), rm, rv, a.UseBatchStats, a.Momentum, a.Eps);
        Store(values, y, yOffset);
        Store(mean, a.SaveMean, 0);
        Store(invStd, a.SaveInvStd, 0);
        if (rm != null) Store(rm, a.RunningMean!, 0);
        if (rv != null) Store(rv, a.RunningVar!, 0);
    }

    public void BatchNormBackward(BatchNormArgs args, DeviceBuffer gradY, int gradYOffset, BatchNormGrads grads)
    {
        long count = OperationChecks.BatchNormBackward(this, args, gradY, gradYOffset, grads);
        var a = args;
        var (gx, gg, gb) = Normalization.BatchNormBackward(a.N, a.C, a.HW, Read(a.X, a.XOffset, count), Read(gradY, gradYOffset, count),
                                                           ReadOrNull(a.Gamma, a.C), Read(a.SaveMean, 0, a.C), Read(a.SaveInvStd, 0, a.C),
                                                           a.UseBatchStats);
        if (grads.GradX != null) Store(gx, grads.GradX, grads.GradXOffset);
        if (grads.GradGamma != null) Store(gg, grads.GradGamma, 0);
        if (grads.GradBeta != null) Store(gb, grads.GradBeta, 0);
    }

    public void DropoutMask(in StridedView mask, float p, ulong seed, ulong counterBase)
    {
        OperationChecks.DropoutMask(this, mask, p);
        Store(Normalization.DropoutMask(mask.Count, p, seed, counterBase), mask);
    }
}
