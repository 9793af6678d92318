namespace Tensorlet.Cli.Training;

/// <summary>
/// Everything <c>tensorlet train</c> was asked to do. <see cref="Given"/> holds the names of the options typed on the
/// command line (the rest are defaults), so a resumed run can tell a conflict from an option left out.
/// </summary>
internal sealed record TrainOptions(
    string Model,
    string? Data,
    int Epochs,
    int BatchSize,
    float LearningRate,
    string Optimizer,
    float Momentum,
    float WeightDecay,
    string Schedule,
    string? Out,
    string? Resume,
    int Threads,
    ulong Seed,
    string Device = "cpu")
{
    /// <summary>Option names given explicitly ("--lr", ...).</summary>
    public IReadOnlySet<string> Given { get; init; } = new HashSet<string>();

    /// <summary>Dataset kind, augmentation, normalisation and picture size (<see cref="Training.DataSettings"/>).</summary>
    public DataSettings DataSettings { get; init; } = new();

    /// <summary>
    /// Throws an <see cref="ArgumentException"/> naming the first option out of range. NaN fails every comparison, so
    /// each check is written to accept only what is sensible rather than to reject what is not.
    /// </summary>
    public void Validate()
    {
        if (Epochs <= 0) throw new ArgumentException($"--epochs must be positive, got {Epochs}.");
        if (BatchSize <= 0) throw new ArgumentException($"--batch must be positive, got {BatchSize}.");
        if (Threads <= 0) throw new ArgumentException($"--threads must be positive, got {Threads}.");
        if (!(LearningRate > 0) || float.IsInfinity(LearningRate))
            throw new ArgumentException($"--lr must be a finite number above 0, got {LearningRate}.");
        // Momentum 1 or more makes the velocity grow without bound: the run diverges whatever the rate.
        if (!(Momentum >= 0 && Momentum < 1))
            throw new ArgumentException($"--momentum must be in [0, 1), got {Momentum}.");
        if (!(WeightDecay >= 0) || float.IsInfinity(WeightDecay))
            throw new ArgumentException($"--weight-decay must be a finite number of at least 0, got {WeightDecay}.");
        DataSettings.Validate();
    }
}
