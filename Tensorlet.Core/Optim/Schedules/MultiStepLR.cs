namespace Tensorlet.Optim;

/// <summary>
/// lr = base · γ^(number of milestones ≤ epoch): decays by γ at each milestone (PyTorch's <c>MultiStepLR</c>; a
/// milestone listed twice decays twice, as PyTorch's counter does).
/// </summary>
public sealed class MultiStepLR : LRSchedule
{
    private readonly int[] _milestones;

    public MultiStepLR(Optimizer optimizer, IEnumerable<int> milestones, float gamma = 0.1f) : base(optimizer)
    {
        _milestones = milestones.Order().ToArray();
        if (_milestones.Length > 0 && _milestones[0] < 0)
            throw new ArgumentOutOfRangeException(nameof(milestones), _milestones[0], "MultiStepLR: milestones must be non-negative.");
        Gamma = gamma;
        Apply();
    }

    /// <summary>The milestones, sorted.</summary>
    public IReadOnlyList<int> Milestones => _milestones;
    public float Gamma { get; }

    protected override double RateAt(int epoch)
    {
        int passed = 0;
        while (passed < _milestones.Length && _milestones[passed] <= epoch) passed++;
        return BaseLearningRate * Math.Pow(Gamma, passed);
    }
}
