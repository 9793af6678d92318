namespace Tensorlet.Kernels.Gpu;

// The fused cross-entropy: the shared checks, then a kernel that walks every operand through its strides.
public sealed partial class GpuBackend
{
    private CrossEntropyKernels? _crossEntropy;

    private CrossEntropyKernels CrossEntropyRows => _crossEntropy ??= new CrossEntropyKernels(Accelerator);

    public void CrossEntropy(float labelSmoothing, in StridedView logits, in StridedView target, in StridedView loss, in StridedView logSum)
    {
        OperationChecks.CrossEntropy(this, labelSmoothing, logits, target, loss, logSum);
        CrossEntropyRows.Forward(this, labelSmoothing, logits, target, loss, logSum);
    }

    public void CrossEntropyBackward(float labelSmoothing, in StridedView logits, in StridedView target, in StridedView logSum,
                                     in StridedView grad, float beta, in StridedView dst)
    {
        OperationChecks.CrossEntropyBackward(this, labelSmoothing, logits, target, logSum, grad, beta, dst);
        CrossEntropyRows.Backward(this, labelSmoothing, logits, target, logSum, grad, beta, dst);
    }
}
