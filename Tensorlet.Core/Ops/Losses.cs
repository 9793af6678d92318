namespace Tensorlet;

/// <summary>How a loss combines its per-sample values.</summary>
public enum Reduction
{
    Mean,
    Sum,
    None,
}

/// <summary>
/// Functional forms of losses and activations, like <c>torch.nn.functional</c>. Losses are compositions of
/// differentiable ops (log-softmax, gather, mean), so their gradients come from those ops' backward rules; the common
/// cross-entropy of [N, C] logits (with or without label smoothing) is one node over the backend's fused kernel.
/// </summary>
public static partial class F
{
    /// <summary>
    /// Cross-entropy from raw scores <paramref name="logits"/> [N, C] (or [N, C, d1, ...], e.g. per pixel) and class indices
    /// <paramref name="target"/> [N] (or [N, d1, ...]) — floats holding integers in [0, C). With label smoothing ε the
    /// target distribution is (1 − ε)·onehot + ε/C. The mean runs over all N·d1·… positions, as PyTorch's.
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor target, Reduction reduction = Reduction.Mean, float labelSmoothing = 0f)
    {
        CheckClassification("CrossEntropy", logits, target);
        if (labelSmoothing < 0f || labelSmoothing > 1f)
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "CrossEntropy: label smoothing must be in [0, 1].");
        if (logits.Rank == 2) return Reduce(FusedCrossEntropy(logits, target, labelSmoothing), reduction);
        var logp = logits.LogSoftmax(1);
        var nll = logp.Gather(1, target.Unsqueeze(1)).Squeeze(1).Neg();
        var perSample = labelSmoothing == 0f
            ? nll
            : nll.Mul(1f - labelSmoothing).Add(logp.Mean(1).Mul(-labelSmoothing));
        return Reduce(perSample, reduction);
    }

    // The per-row loss of [N, C] logits as one graph node over the backend's fused kernel. The forward keeps only each
    // row's log Σ e^(x − max) [N]; the backward writes the logits' gradient in one pass, straight into a leaf's existing Grad
    // when it can (GradientWriter), where the composed ops would write log-probabilities, a one-hot gradient and a copy.
    private static Tensor FusedCrossEntropy(Tensor logits, Tensor target, float labelSmoothing)
    {
        Tensor.CheckSameDevice("CrossEntropy", logits, target);
        int rows = logits.Size(0);
        var loss = Tensor.Empty([rows], logits.Device);
        var logSum = Tensor.Empty([rows], logits.Device);
        logits.Backend.CrossEntropy(labelSmoothing, logits.AsStrided(), target.AsStrided(), loss.AsStrided(), logSum.AsStrided());
        return Tensor.Record(loss, "CrossEntropyBackward", [logits], g => GradientWriter.Write(logits, (dst, beta) =>
            dst.Backend.CrossEntropyBackward(labelSmoothing, logits.AsStrided(), target.AsStrided(), logSum.AsStrided(), g.AsStrided(),
                                             beta, dst.AsStrided())));
    }

    /// <summary>Negative log-likelihood of log-probabilities <paramref name="logProbs"/> [N, C, d1, ...] at class indices <paramref name="target"/> [N, d1, ...].</summary>
    public static Tensor NllLoss(Tensor logProbs, Tensor target, Reduction reduction = Reduction.Mean)
    {
        CheckClassification("NllLoss", logProbs, target);
        return Reduce(logProbs.Gather(1, target.Unsqueeze(1)).Squeeze(1).Neg(), reduction);
    }

    /// <summary>Mean (or summed) squared error; shapes must match exactly (no silent broadcasting).</summary>
    public static Tensor MseLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
    {
        if (!Shape.SameShape(input.ShapeSpan, target.ShapeSpan))
            throw new ArgumentException($"MseLoss: input shape {Shape.Format(input.ShapeSpan)} differs from target shape {Shape.Format(target.ShapeSpan)}.");
        var diff = input.Sub(target);
        return Reduce(diff.Mul(diff), reduction);
    }

    private static Tensor Reduce(Tensor perSample, Reduction reduction) => reduction switch
    {
        Reduction.Mean => perSample.Mean(),
        Reduction.Sum => perSample.Sum(),
        _ => perSample,
    };

    private static void CheckClassification(string op, Tensor scores, Tensor target)
    {
        // The class dim is 1; every other dim of the scores must match the target's.
        bool ok = scores.Rank >= 2 && target.Rank == scores.Rank - 1;
        for (int i = 0; ok && i < target.Rank; i++) ok = target.Size(i) == scores.Size(i == 0 ? 0 : i + 1);
        if (!ok)
            throw new ArgumentException(
                $"{op}: expected scores [N, C, d1, ...] and class indices [N, d1, ...], got {Shape.Format(scores.ShapeSpan)} and {Shape.Format(target.ShapeSpan)}.");
    }

    public static Tensor Relu(Tensor x) => x.Relu();
    public static Tensor LeakyRelu(Tensor x, float negativeSlope = 0.01f) => x.LeakyRelu(negativeSlope);
    public static Tensor Sigmoid(Tensor x) => x.Sigmoid();
    public static Tensor Tanh(Tensor x) => x.Tanh();
    public static Tensor Silu(Tensor x) => x.Silu();
    public static Tensor Softmax(Tensor x, int dim) => x.Softmax(dim);
    public static Tensor LogSoftmax(Tensor x, int dim) => x.LogSoftmax(dim);
}
