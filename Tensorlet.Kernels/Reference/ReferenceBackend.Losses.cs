namespace Tensorlet.Kernels.Reference;

// The fused cross-entropy: every operand read row-major into dense arrays, the plain loops, and the results stored back.
public sealed partial class ReferenceBackend
{
    public void CrossEntropy(float labelSmoothing, in StridedView logits, in StridedView target, in StridedView loss, in StridedView logSum)
    {
        OperationChecks.CrossEntropy(this, labelSmoothing, logits, target, loss, logSum);
        int rows = logits.Shape[0], cols = logits.Shape[1];
        var classes = Targets("CrossEntropy", target, cols);
        var (perRow, shifted) = Reference.CrossEntropy.Forward(labelSmoothing, Dense(logits), rows, cols, classes);
        Store(perRow, loss);
        Store(shifted, logSum);
    }

    public void CrossEntropyBackward(float labelSmoothing, in StridedView logits, in StridedView target, in StridedView logSum,
                                     in StridedView grad, float beta, in StridedView dst)
    {
        OperationChecks.CrossEntropyBackward(this, labelSmoothing, logits, target, logSum, grad, beta, dst);
        int rows = logits.Shape[0], cols = logits.Shape[1];
        var classes = Targets("CrossEntropyBackward", target, cols);
        // With β = 0 the old contents are never read: start from zeros, not from dst.
        var result = beta == 0 ? new float[rows * cols] : Dense(dst);
        Reference.CrossEntropy.Backward(labelSmoothing, Dense(logits), rows, cols, classes, Dense(logSum), Dense(grad), beta, result);
        Store(result, dst);
    }

    // Class indices are data: each is checked before anything is written, with the message every backend uses.
    private static int[] Targets(string op, in StridedView target, int classes)
    {
        var values = Dense(target);
        var indices = new int[values.Length];
        for (int r = 0; r < values.Length; r++)
        {
            if (!OperationChecks.IsValidIndex(values[r], classes)) throw OperationChecks.BadTarget(op, values[r], r, classes);
            indices[r] = (int)values[r];
        }
        return indices;
    }
}
