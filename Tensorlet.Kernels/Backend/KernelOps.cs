namespace Tensorlet.Kernels;

/// <summary>What <see cref="IBackend.Reduce"/> computes along its axis.</summary>
public enum ReduceOp
{
    /// <summary>Σ, times the scale argument (1 for a sum, 1/axis for a mean).</summary>
    Sum,
    Max,
    Min,
    /// <summary>Index (as a float) of the first maximum.</summary>
    ArgMax,
    /// <summary>Index (as a float) of the first minimum.</summary>
    ArgMin,
}
