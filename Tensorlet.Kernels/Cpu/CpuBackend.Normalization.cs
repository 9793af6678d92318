namespace Tensorlet.Kernels.Cpu;

// Batch-norm and dropout entry points: check sizes and buffers, then run BatchNorm.cs or fill the mask.
public sealed partial class CpuBackend
{
    public void BatchNormForward(int n, int c, int hw, DeviceBuffer x, int xOffset, DeviceBuffer? gamma, DeviceBuffer? beta,
                                 DeviceBuffer? runningMean, DeviceBuffer? runningVar, bool useBatchStats, float momentum, float eps,
                                 DeviceBuffer y, int yOffset, DeviceBuffer saveMean, DeviceBuffer saveInvStd)
    {
        long count = OperationChecks.BatchNormForward(this, n, c, hw, x, xOffset, gamma, beta, runningMean, runningVar, useBatchStats,
                                                      y, yOffset, saveMean, saveInvStd);
        if (count == 0) return;
        BatchNorm.Forward(n, c, hw, Array(x), xOffset, ArrayOrNull(gamma), ArrayOrNull(beta), ArrayOrNull(runningMean), ArrayOrNull(runningVar),
                          useBatchStats, momentum, eps, Array(y), yOffset, Array(saveMean), Array(saveInvStd));
    }

    public void BatchNormBackward(int n, int c, int hw, DeviceBuffer x, int xOffset, DeviceBuffer gradY, int gradYOffset,
                                  DeviceBuffer? gamma, DeviceBuffer saveMean, DeviceBuffer saveInvStd, bool useBatchStats,
                                  DeviceBuffer? gradX, int gradXOffset, DeviceBuffer? gradGamma, DeviceBuffer? gradBeta)
    {
        long count = OperationChecks.BatchNormBackward(this, n, c, hw, x, xOffset, gradY, gradYOffset, gamma, saveMean, saveInvStd,
                                                       gradX, gradXOffset, gradGamma, gradBeta);
        var gg = ArrayOrNull(gradGamma);
        var gb = ArrayOrNull(gradBeta);
        if (count == 0)
        {
            gg?.AsSpan(0, c).Clear();
            gb?.AsSpan(0, c).Clear();
            return;
        }
        BatchNorm.Backward(n, c, hw, Array(x), xOffset, Array(gradY), gradYOffset, ArrayOrNull(gamma), Array(saveMean), Array(saveInvStd),
                           useBatchStats, ArrayOrNull(gradX), gradXOffset, gg, gb);
    }

    public void DropoutMask(DeviceBuffer mask, int offset, int count, float p, ulong seed, ulong counterBase)
    {
        float scale = OperationChecks.DropoutMask(this, mask, offset, count, p);
        var data = Array(mask);
        Threads.For(count, StridedLoop.MinPerPart, (s, e) =>
        {
            for (int i = s; i < e; i++) data[offset + i] = DropoutHash.Mask(p, scale, seed, counterBase + (ulong)i);
        });
    }
}
