namespace Tensorlet.Kernels.Gpu;

// Batch-norm and dropout entry points: the shared argument checks, then BatchNormKernels.cs or DropoutKernels.cs.
public sealed partial class GpuBackend
{
    private BatchNormKernels? _batchNorm;
    private DropoutKernels? _dropout;

    private BatchNormKernels BatchNorm => _batchNorm ??= new BatchNormKernels(Accelerator);
    private DropoutKernels Dropout => _dropout ??= new DropoutKernels(Accelerator);

    public void BatchNormForward(BatchNormArgs args, DeviceBuffer y, int yOffset)
    {
        long count = OperationChecks.BatchNormForward(this, args, y, yOffset);
        // As on the CPU, an empty batch has no statistics: nothing is written, the running statistics stay as they are.
        if (count == 0) return;
        var a = args;
        BatchNorm.Forward(this, a.N, a.C, a.HW, a.X, a.XOffset, a.Gamma, a.Beta, a.RunningMean, a.RunningVar, a.UseBatchStats, a.Momentum,
                          a.Eps, y, yOffset, a.SaveMean, a.SaveInvStd);
    }

    public void BatchNormBackward(BatchNormArgs args, DeviceBuffer gradY, int gradYOffset, BatchNormGrads grads)
    {
        OperationChecks.BatchNormBackward(this, args, gradY, gradYOffset, grads);
        // An empty batch (N·HW = 0) still runs: its channels reduce to zero sums, the γ and β gradients.
        if (args.C == 0 || (grads.GradX == null && grads.GradGamma == null && grads.GradBeta == null)) return;
        var a = args;
        BatchNorm.Backward(this, a.N, a.C, a.HW, a.X, a.XOffset, gradY, gradYOffset, a.Gamma, a.SaveMean, a.SaveInvStd, a.UseBatchStats,
                           grads.GradX, grads.GradXOffset, grads.GradGamma, grads.GradBeta);
    }

    public void DropoutMask(in StridedView mask, float p, ulong seed, ulong counterBase)
    {
        float scale = OperationChecks.DropoutMask(this, mask, p);
        using var m = DenseOperand.Write(this, mask);
        Dropout.Mask(this, m.Buffer, m.Offset, mask.Count, p, scale, seed, counterBase);
        m.Complete();
    }
}
