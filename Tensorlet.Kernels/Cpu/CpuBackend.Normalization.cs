namespace Tensorlet.Kernels.Cpu;

// Batch-norm and dropout entry points: check sizes and buffers, then run BatchNorm.cs or fill the mask.
public sealed partial class CpuBackend
{
    public void BatchNormForward(BatchNormArgs args, DeviceBuffer y, int yOffset)
    {
        long count = OperationChecks.BatchNormForward(this, args, y, yOffset);
        if (count == 0) return;
        var a = args;
        BatchNorm.Forward(a.N, a.C, a.HW, Array(a.X), a.XOffset, ArrayOrNull(a.Gamma), ArrayOrNull(a.Beta), ArrayOrNull(a.RunningMean),
                          ArrayOrNull(a.RunningVar), a.UseBatchStats, a.Momentum, a.Eps, Array(y), yOffset, Array(a.SaveMean), Array(a.SaveInvStd));
    }

    public void BatchNormBackward(BatchNormArgs args, DeviceBuffer gradY, int gradYOffset, BatchNormGrads grads)
    {
        long count = OperationChecks.BatchNormBackward(this, args, gradY, gradYOffset, grads);
        var a = args;
        var gg = ArrayOrNull(grads.GradGamma);
        var gb = ArrayOrNull(grads.GradBeta);
        if (count == 0)
        {
            gg?.AsSpan(0, a.C).Clear();
            gb?.AsSpan(0, a.C).Clear();
            return;
        }
        BatchNorm.Backward(a.N, a.C, a.HW, Array(a.X), a.XOffset, Array(gradY), gradYOffset, ArrayOrNull(a.Gamma), Array(a.SaveMean),
                           Array(a.SaveInvStd), a.UseBatchStats, ArrayOrNull(grads.GradX), grads.GradXOffset, gg, gb);
    }

    public void DropoutMask(in StridedView mask, float p, ulong seed, ulong counterBase)
    {
        float scale = OperationChecks.DropoutMask(this, mask, p);
        using var m = DenseOperand.Write(this, mask);
        var data = Array(m.Buffer);
        int offset = m.Offset;
        Threads.For(mask.Count, StridedLoop.MinPerPart, (s, e) =>
        {
            for (int i = s; i < e; i++) data[offset + i] = DropoutHash.Mask(p, scale, seed, counterBase + (ulong)i);
        });
        m.Complete();
    }
}
