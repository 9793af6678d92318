namespace Tensorlet.Optim;

/// <summary>
/// Linear warm-up: for epoch t &lt; W the rate is base · (s + (1 − s)·t / W), rising from s·base to base; from W on it is
/// the wrapped schedule's closed form at t − W, or the base rate without one. This is PyTorch's
/// <c>LinearLR(start_factor=s, total_iters=W)</c>, and with a wrapped schedule it is
/// <c>SequentialLR([LinearLR(...), after], milestones=[W])</c>.
/// </summary>
/// <remarks>
/// The wrapped schedule only supplies its closed form: step this one, never the wrapped one. Build the wrapped
/// schedule on the same optimizer before this one, so both see the same base rate.
/// </remarks>
public sealed class LinearWarmup : LRSchedule
{
    private readonly LRSchedule? _after;

    public LinearWarmup(Optimizer optimizer, int warmupSteps, float startFactor = 1f / 3, LRSchedule? after = null) : base(optimizer)
    {
        if (warmupSteps <= 0) throw new ArgumentOutOfRangeException(nameof(warmupSteps), warmupSteps, "LinearWarmup: warm-up steps must be positive.");
        if (!(startFactor > 0 && startFactor <= 1))
            throw new ArgumentOutOfRangeException(nameof(startFactor), startFactor, "LinearWarmup: start factor must be in (0, 1].");
        if (after != null && !ReferenceEquals(after.Optimizer, optimizer))
            throw new ArgumentException("LinearWarmup: the wrapped schedule must drive the same optimizer.", nameof(after));
        WarmupSteps = warmupSteps;
        StartFactor = startFactor;
        _after = after;
        Apply();
    }

    public int WarmupSteps { get; }
    public float StartFactor { get; }

    /// <summary>The schedule that takes over after the warm-up (null: constant base rate).</summary>
    public LRSchedule? After => _after;

    /// <summary>The wrapped schedule scales the same base rate, so it follows a restored one.</summary>
    protected override void OnLoadState(int lastEpoch, float baseLearningRate) => _after?.LoadState(0, baseLearningRate);

    protected override double RateAt(int epoch)
    {
        if (epoch < WarmupSteps)
            return BaseLearningRate * (StartFactor + (1 - (double)StartFactor) * epoch / WarmupSteps);
        return _after?.LearningRateAt(epoch - WarmupSteps) ?? BaseLearningRate;
    }
}
