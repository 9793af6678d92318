using static Tensorlet.Tests.Core.OpTester;

namespace Tensorlet.Tests.Core;

public class SoftmaxLossTests
{
    private static readonly int[] S = [2, 3, 4];
    private static readonly Init HugeLogits = Values(1000f, -1000f, 0.5f, 999f, -999.5f, 1000f);

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(-1)]
    public void Softmax(int dim) => Check([S], t => t[0].Softmax(dim), r => r[0].Softmax(dim));

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(-1)]
    public void LogSoftmax(int dim) => Check([S], t => t[0].LogSoftmax(dim), r => r[0].LogSoftmax(dim));

    [TestCase(0)]
    [TestCase(1)]
    public void HugeLogitsAreFiniteAndCorrect(int dim)
    {
        // float32 holds 1000 ± eps to ~6e-5, so the reference and finite differences are still meaningful.
        Check([[3, 4]], t => t[0].Softmax(dim), r => r[0].Softmax(dim), init: HugeLogits);
        Check([[3, 4]], t => t[0].LogSoftmax(dim), r => r[0].LogSoftmax(dim), atol: 1e-3, init: HugeLogits);
    }

    [Test]
    public void SoftmaxOfAView() =>
        Check([[4, 3]], t => t[0].T.Softmax(1), r => r[0].Transpose(0, 1).Softmax(1));

    [Test]
    public void FunctionalSoftmax() =>
        Check([[3, 4]], t => F.Softmax(t[0], 0).Add(F.LogSoftmax(t[0], 1)), r => r[0].Softmax(0) + r[0].LogSoftmax(1));

    // ---- losses -------------------------------------------------------------------------------------------

    // A property, not a field: a static tensor created inside GradCheck's TensorScope would be disposed with it.
    private static Tensor Target => Labels(5, 4);

    internal static RefArray Reduce(RefArray perSample, Reduction reduction) => reduction switch
    {
        Reduction.Mean => perSample.Mean(),
        Reduction.Sum => perSample.Sum(),
        _ => perSample,
    };

    /// <summary>−Σ_c q_c log p_c with q = (1 − ε)·onehot + ε/C, the definition PyTorch documents.</summary>
    internal static RefArray CrossEntropyRef(RefArray logits, float smoothing, Tensor? labels = null)
    {
        var logp = logits.LogSoftmax(1);
        int classes = logits.Shape[1];
        var target = RefArray.Of(labels ?? Target);
        return RefArray.Build([logits.Shape[0]], i =>
        {
            double loss = 0;
            for (int c = 0; c < classes; c++)
            {
                double q = (1 - smoothing) * (target[[i[0]]] == c ? 1 : 0) + smoothing / classes;
                loss -= q * logp[[i[0], c]];
            }
            return loss;
        });
    }

    [TestCase(Reduction.Mean, 0f)]
    [TestCase(Reduction.Sum, 0f)]
    [TestCase(Reduction.None, 0f)]
    [TestCase(Reduction.Mean, 0.1f)]
    [TestCase(Reduction.Sum, 0.3f)]
    [TestCase(Reduction.None, 1f)]
    public void CrossEntropy(Reduction reduction, float smoothing) =>
        Check([[5, 4]], t => F.CrossEntropy(t[0], Target, reduction, smoothing),
              r => Reduce(CrossEntropyRef(r[0], smoothing), reduction));

    // 21 classes: the one-node backward's vector loop (8 lanes) and its scalar tail, at every reduction.
    [TestCase(Reduction.Mean)]
    [TestCase(Reduction.Sum)]
    [TestCase(Reduction.None)]
    public void CrossEntropyOverRowsWiderThanAVector(Reduction reduction) =>
        Check([[6, 21]], t => F.CrossEntropy(t[0], Labels(6, 21), reduction),
              r => Reduce(CrossEntropyRef(r[0], 0f, Labels(6, 21)), reduction));

    [Test]
    public void CrossEntropyOfHugeLogitsIsFinite() =>
        Check([[5, 4]], t => F.CrossEntropy(t[0], Target, Reduction.None), r => CrossEntropyRef(r[0], 0f), atol: 1e-3, init: HugeLogits);

    [TestCase(Reduction.Mean)]
    [TestCase(Reduction.Sum)]
    [TestCase(Reduction.None)]
    public void NllLoss(Reduction reduction) =>
        Check([[5, 4]], t => F.NllLoss(t[0], Target, reduction),
              r => Reduce(-r[0].Gather(1, RefArray.Of(Target).Reshape([5, 1])).Reshape([5]), reduction));

    [TestCase(Reduction.Mean)]
    [TestCase(Reduction.Sum)]
    [TestCase(Reduction.None)]
    public void MseLoss(Reduction reduction) =>
        Check([[2, 3], [2, 3]], t => F.MseLoss(t[0], t[1], reduction), r => Reduce((r[0] - r[1]) * (r[0] - r[1]), reduction));

    [Test]
    public void ErrorsNameTheLossAndTheShapes()
    {
        Throws(() => F.CrossEntropy(Tensor.Zeros(4, 5), Tensor.Zeros(3)), "CrossEntropy", "[4, 5]", "[3]");
        Throws(() => F.NllLoss(Tensor.Zeros(4), Tensor.Zeros(4)), "NllLoss", "[4]");
        Throws(() => F.MseLoss(Tensor.Zeros(2, 3), Tensor.Zeros(3)), "MseLoss", "[2, 3]", "[3]");
        Throws(() => F.CrossEntropy(Tensor.Zeros(2, 3), Tensor.Zeros(2), labelSmoothing: 1.5f), "CrossEntropy", "smoothing");
        Throws(() => F.CrossEntropy(Tensor.Zeros(2, 3), T([2], 0f, 3f)), "3", "[0, 3)");
        Throws(() => Tensor.Zeros(2, 3).Softmax(2), "Softmax", "2");
    }
}
