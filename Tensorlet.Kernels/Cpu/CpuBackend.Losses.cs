namespace Tensorlet.Kernels.Cpu;

// The fused cross-entropy: rows of any layout are walked where they lie (Cpu/CrossEntropy.cs), so no operand is copied.
public sealed partial class CpuBackend
{
    public void CrossEntropy(float labelSmoothing, in StridedView logits, in StridedView target, in StridedView loss, in StridedView logSumExp)
    {
        OperationChecks.CrossEntropy(this, labelSmoothing, logits, target, loss, logSumExp);
        Cpu.CrossEntropy.Forward(labelSmoothing, new StridedRows(Array(logits.Buffer), logits), logits.Shape[0],
                                 ChannelVector.Of(target), ChannelVector.Of(loss), ChannelVector.Of(logSumExp));
    }

    public void CrossEntropyBackward(float labelSmoothing, in StridedView logits, in StridedView target, in StridedView logSumExp,
                                     in StridedView grad, float beta, in StridedView dst)
    {
        OperationChecks.CrossEntropyBackward(this, labelSmoothing, logits, target, logSumExp, grad, beta, dst);
        Cpu.CrossEntropy.Backward(labelSmoothing, new StridedRows(Array(logits.Buffer), logits), logits.Shape[0], ChannelVector.Of(target),
                                  ChannelVector.Of(logSumExp), ChannelVector.Of(grad), beta, new StridedRows(Array(dst.Buffer), dst));
    }
}
