namespace Tensorlet.Optim;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter): weight decay decoupled from the gradient — p ← p·(1 − lr·wd) first, then the
/// <see cref="Adam"/> update with the raw gradient. PyTorch's default weight decay for AdamW is 0.01.
/// </summary>
public sealed class AdamW : Adam
{
    public AdamW(IEnumerable<Tensor> parameters, float lr = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f,
                 float eps = 1e-8f, float weightDecay = 1e-2f, bool amsgrad = false)
        : base(parameters, lr, beta1, beta2, eps, weightDecay, amsgrad)
    {
    }

    protected override Tensor DecayAndGradient(Tensor p, Tensor grad)
    {
        if (WeightDecay != 0) p.MulInPlace((float)(1 - (double)LearningRate * WeightDecay));
        return grad;
    }
}
