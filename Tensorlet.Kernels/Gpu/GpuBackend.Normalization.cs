namespace Tensorlet.Kernels.Gpu;

// Batch-norm and dropout entry points: the shared argument checks, then BatchNormKernels.cs or DropoutKernels.cs.
public sealed partial class GpuBackend
{
    private BatchNormKernels? _batchNorm;
    private DropoutKernels? _dropout;

    private BatchNormKernels BatchNorm => _batchNorm ??= new BatchNormKernels(Accelerator);
    private DropoutKernels Dropout => _dropout ??= new DropoutKernels(Accelerator);

    // The kernels read dense [N, C, HW] data and per-channel vectors of C floats: each operand is opened through
    // DenseOperand (a copy only for other layouts; running statistics are copied back after their update).
    public void BatchNormForward(BatchNormArgs args, in StridedView y)
    {
        long count = OperationChecks.BatchNormForward(this, args, y);
        // As on the CPU, an empty batch has no statistics: nothing is written, the running statistics stay as they are.
        if (count == 0) return;
        var a = args;
        using var xs = DenseOperand.Read(this, a.X);
        using var ys = DenseOperand.Write(this, y);
        using var gamma = ReadOrNone(a.Gamma);
        using var beta = ReadOrNone(a.Beta);
        using var rm = ReadOrNone(a.RunningMean);
        using var rv = ReadOrNone(a.RunningVar);
        using var mean = DenseOperand.Write(this, a.SaveMean);
        using var invStd = DenseOperand.Write(this, a.SaveInvStd);
        BatchNorm.Forward(this, a.N, a.C, a.HW, xs.Buffer, xs.Offset, Channels(gamma, a.C), Channels(beta, a.C), Channels(rm, a.C),
                          Channels(rv, a.C), a.UseBatchStats, a.Momentum, a.Eps, ys.Buffer, ys.Offset, Channels(mean, a.C), Channels(invStd, a.C));
        ys.Complete();
        mean.Complete();
        invStd.Complete();
        if (a.UseBatchStats)
        {
            rm.Complete();
            rv.Complete();
        }
    }

    public void BatchNormBackward(BatchNormArgs args, in StridedView gradY, BatchNormGrads grads)
    {
        OperationChecks.BatchNormBackward(this, args, gradY, grads);
        // An empty batch (N·HW = 0) still runs: its channels reduce to zero sums, the γ and β gradients.
        if (args.C == 0 || (grads.GradX == null && grads.GradGamma == null && grads.GradBeta == null)) return;
        var a = args;
        using var xs = DenseOperand.Read(this, a.X);
        using var gys = DenseOperand.Read(this, gradY);
        using var gamma = ReadOrNone(a.Gamma);
        using var mean = DenseOperand.Read(this, a.SaveMean);
        using var invStd = DenseOperand.Read(this, a.SaveInvStd);
        using var gxs = grads.GradX is { } gx ? DenseOperand.Write(this, gx) : default;
        using var gg = grads.GradGamma is { } ggv ? DenseOperand.Write(this, ggv) : default;
        using var gb = grads.GradBeta is { } gbv ? DenseOperand.Write(this, gbv) : default;
        BatchNorm.Backward(this, a.N, a.C, a.HW, xs.Buffer, xs.Offset, gys.Buffer, gys.Offset, Channels(gamma, a.C), Channels(mean, a.C),
                           Channels(invStd, a.C), a.UseBatchStats, grads.GradX == null ? null : gxs.Buffer, gxs.Offset, Channels(gg, a.C),
                           Channels(gb, a.C));
        gxs.Complete();
        gg.Complete();
        gb.Complete();
    }

    /// <summary>An optional input opened densely (read-write for the running statistics), or nothing.</summary>
    private DenseOperand ReadOrNone(StridedView? view) => view is { } v ? DenseOperand.Read(this, v) : default;

    /// <summary>The C floats of a per-channel operand, or the empty view when there is none.</summary>
    private static ILGPU.ArrayView<float> Channels(in DenseOperand operand, int c) =>
        operand.View.Buffer == null ? default : View(operand.Buffer).SubView(operand.Offset, c);

    public void DropoutMask(in StridedView mask, float p, ulong seed, ulong counterBase)
    {
        float scale = OperationChecks.DropoutMask(this, mask, p);
        using var m = DenseOperand.Write(this, mask);
        Dropout.Mask(this, m.Buffer, m.Offset, mask.Count, p, scale, seed, counterBase);
        m.Complete();
    }
}
