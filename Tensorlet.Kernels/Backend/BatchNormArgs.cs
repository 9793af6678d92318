namespace Tensorlet.Kernels;

/// <summary>
/// One batch-norm call as its forward and backward both see it: the contiguous [N, C, HW] input <paramref name="X"/>
/// at <paramref name="XOffset"/>, the per-channel vectors (C floats from element 0 of their buffers) and the mode.
/// The forward writes <paramref name="SaveMean"/> and <paramref name="SaveInvStd"/> and the backward reads them, so
/// the record built for a forward serves its backward unchanged.
/// </summary>
/// <param name="N">Batch size.</param>
/// <param name="C">Channels.</param>
/// <param name="HW">Positions per channel and sample (1 for [N, C], L for [N, C, L], H·W for images).</param>
/// <param name="X">The input.</param>
/// <param name="XOffset">Where the input starts in <paramref name="X"/>.</param>
/// <param name="Gamma">Scale γ, or null for 1.</param>
/// <param name="Beta">Shift β, or null for 0.</param>
/// <param name="RunningMean">Running mean: updated when normalising with batch statistics, read otherwise; may be null only then.</param>
/// <param name="RunningVar">Running (unbiased) variance, as <paramref name="RunningMean"/>.</param>
/// <param name="SaveMean">The mean μ used, written by the forward for the backward.</param>
/// <param name="SaveInvStd">1/√(σ² + ε) used, written by the forward for the backward.</param>
/// <param name="UseBatchStats">Normalise with the batch's statistics (training) rather than the running ones.</param>
/// <param name="Momentum">Weight m of the batch statistics in the running update.</param>
/// <param name="Eps">ε added to the variance.</param>
public sealed record BatchNormArgs(int N, int C, int HW, DeviceBuffer X, int XOffset,
                                   DeviceBuffer? Gamma, DeviceBuffer? Beta, DeviceBuffer? RunningMean, DeviceBuffer? RunningVar,
                                   DeviceBuffer SaveMean, DeviceBuffer SaveInvStd, bool UseBatchStats, float Momentum, float Eps);
