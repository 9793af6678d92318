namespace Tensorlet.Cli.Training;

/// <summary>Everything <c>tensorlet train</c> was asked to do.</summary>
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
    string Device = "cpu");
