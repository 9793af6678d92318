namespace Tensorlet.Kernels.Cpu;

// The fused cross-entropy: rows of any layout are walked where they lie (Cpu/CrossEntropy.cs), so no operand is copied.
public sealed partial class CpuBackend
{
    public void CrossEntropy(float labelSmoothing, in StridedView logits, in StridedView target, in StridedView loss, in StridedView logSum)
    {
        OperationChecks.CrossEntropy(this, labelSmoothing, logits, target, loss, logSum);
        Cpu.CrossEntropy.Forward(labelSmoothing, new StridedRows(Array(logits.Buffer), logits), logits.Shape[0],
                                 ChannelVector.Of(target), ChannelVector.Of(loss), ChannelVector.Of(logSum));
    }

    public void CrossEntropyBackward(float labelSmoothing, in StridedView logits, in StridedView target, in StridedView logSum,
                                     in StridedView grad, float beta, in StridedView dst)
    {
        OperationChecks.CrossEntropyBackward(this, labelSmoothing, logits, target, logSum, grad, beta, dst);
        Cpu.CrossEntropy.Backward(labelSmoothing, new StridedRows(Array(logits.Buffer), logits), logits.Shape[0], ChannelVector.Of(target),
                                  ChannelVector.Of(logSum), ChannelVector.Of(grad), beta, new StridedRows(Array(dst.Buffer), dst));
    }
}
