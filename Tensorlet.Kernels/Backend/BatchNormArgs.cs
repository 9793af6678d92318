namespace Tensorlet.Kernels;

/// <summary>
/// One batch-norm call as its forward and backward both see it: the [N, C, ...] input <paramref name="X"/>, the
/// per-channel [C] views and the mode. N, C and the positions per channel come from X's shape. The forward writes
/// <paramref name="SaveMean"/> and <paramref name="SaveInvStd"/> and the backward reads them, so the record built for
/// a forward serves its backward unchanged.
/// </summary>
/// <param name="X">The input, [N, C, ...] in any layout.</param>
/// <param name="Gamma">Scale γ, or null for 1.</param>
/// <param name="Beta">Shift β, or null for 0.</param>
/// <param name="RunningMean">Running mean: updated when normalising with batch statistics, read otherwise; may be null only then.</param>
/// <param name="RunningVar">Running (unbiased) variance, as <paramref name="RunningMean"/>.</param>
/// <param name="SaveMean">The mean μ used, written by the forward for the backward.</param>
/// <param name="SaveInvStd">1/√(σ² + ε) used, written by the forward for the backward.</param>
/// <param name="UseBatchStats">Normalise with the batch's statistics (training) rather than the running ones.</param>
/// <param name="Momentum">Weight m of the batch statistics in the running update.</param>
/// <param name="Eps">ε added to the variance.</param>
public sealed record BatchNormArgs(StridedView X, StridedView? Gamma, StridedView? Beta, StridedView? RunningMean, StridedView? RunningVar,
                                   StridedView SaveMean, StridedView SaveInvStd, bool UseBatchStats, float Momentum, float Eps)
{
    /// <summary>Batch size, X's dimension 0.</summary>
    public int N => X.Shape[0];

    /// <summary>Channels, X's dimension 1.</summary>
    public int C => X.Shape[1];

    /// <summary>Positions per channel and sample: the product of X's trailing dimensions (1 for [N, C]).</summary>
    public int HW
    {
        get
        {
            int hw = 1;
            for (int d = 2; d < X.Rank; d++) hw *= X.Shape[d];
            return hw;
        }
    }
}
