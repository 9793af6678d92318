namespace Tensorlet.NN;

/// <summary>
/// Cross-entropy between raw scores [N, C] and class indices [N], like <c>torch.nn.CrossEntropyLoss</c>
/// (with optional label smoothing). A loss takes two inputs, so it is not a <see cref="Module"/>.
/// </summary>
public sealed class CrossEntropyLoss(Reduction reduction = Reduction.Mean, float labelSmoothing = 0f)
{
    public Reduction Reduction { get; } = reduction;
    public float LabelSmoothing { get; } = labelSmoothing;

    public Tensor Forward(Tensor input, Tensor target) => F.CrossEntropy(input, target, Reduction, LabelSmoothing);
    public Tensor Call(Tensor input, Tensor target) => Forward(input, target);
}

/// <summary>Mean (or summed) squared error, like <c>torch.nn.MSELoss</c>.</summary>
public sealed class MSELoss(Reduction reduction = Reduction.Mean)
{
    public Reduction Reduction { get; } = reduction;

    public Tensor Forward(Tensor input, Tensor target) => F.MseLoss(input, target, Reduction);
    public Tensor Call(Tensor input, Tensor target) => Forward(input, target);
}
