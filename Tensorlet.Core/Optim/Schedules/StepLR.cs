namespace Tensorlet.Optim;

/// <summary>lr = base · γ^⌊epoch / stepSize⌋: decays by γ every <c>stepSize</c> epochs (PyTorch's <c>StepLR</c>).</summary>
public sealed class StepLR : LRSchedule
{
    public StepLR(Optimizer optimizer, int stepSize, float gamma = 0.1f) : base(optimizer)
    {
        if (stepSize <= 0) throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, "StepLR: step size must be positive.");
        StepSize = stepSize;
        Gamma = gamma;
        Apply();
    }

    public int StepSize { get; }
    public float Gamma { get; }

    protected override double RateAt(int epoch) => BaseLearningRate * Math.Pow(Gamma, epoch / StepSize);
}
