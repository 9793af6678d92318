namespace Tensorlet.Kernels.Gpu;

// Batch-norm and dropout entry points: the shared argument checks, then BatchNormKernels.cs or DropoutKernels.cs.
public sealed partial class GpuBackend
{
    private BatchNormKernels? _batchNorm;
    private DropoutKernels? _dropout;

    private BatchNormKernels BatchNorm => _batchNorm ??= new BatchNormKernels(Accelerator);
    private DropoutKernels Dropout => _dropout ??= new DropoutKernels(Accelerator);

    public void BatchNormForward(int n, int c, int hw, DeviceBuffer x, int xOffset, DeviceBuffer? gamma, DeviceBuffer? beta,
                                 DeviceBuffer? runningMean, DeviceBuffer? runningVar, bool useBatchStats, float momentum, float eps,
                                 DeviceBuffer y, int yOffset, DeviceBuffer saveMean, DeviceBuffer saveInvStd)
    {
        long count = OperationChecks.BatchNormForward(this, n, c, hw, x, xOffset, gamma, beta, runningMean, runningVar, useBatchStats,
                                                      y, yOffset, saveMean, saveInvStd);
        // As on the CPU, an empty batch has no statistics: nothing is written, the running statistics stay as they are.
        if (count == 0) return;
        BatchNorm.Forward(this, n, c, hw, x, xOffset, gamma, beta, runningMean, runningVar, useBatchStats, momentum, eps,
                          y, yOffset, saveMean, saveInvStd);
    }

    public void BatchNormBackward(int n, int c, int hw, DeviceBuffer x, int xOffset, DeviceBuffer gradY, int gradYOffset,
                                  DeviceBuffer? gamma, DeviceBuffer saveMean, DeviceBuffer saveInvStd, bool useBatchStats,
                                  DeviceBuffer? gradX, int gradXOffset, DeviceBuffer? gradGamma, DeviceBuffer? gradBeta)
    {
        OperationChecks.BatchNormBackward(this, n, c, hw, x, xOffset, gradY, gradYOffset, gamma, saveMean, saveInvStd,
                                          gradX, gradXOffset, gradGamma, gradBeta);
        // An empty batch (N·HW = 0) still runs: its channels reduce to zero sums, the γ and β gradients.
        if (c == 0 || (gradX == null && gradGamma == null && gradBeta == null)) return;
        BatchNorm.Backward(this, n, c, hw, x, xOffset, gradY, gradYOffset, gamma, saveMean, saveInvStd, useBatchStats,
                           gradX, gradXOffset, gradGamma, gradBeta);
    }

    public void DropoutMask(DeviceBuffer mask, int offset, int count, float p, ulong seed, ulong counterBase)
    {
        float scale = OperationChecks.DropoutMask(this, mask, offset, count, p);
        Dropout.Mask(this, mask, offset, count, p, scale, seed, counterBase);
    }
}
