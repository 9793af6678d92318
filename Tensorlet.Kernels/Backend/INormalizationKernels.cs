namespace Tensorlet.Kernels;

/// <summary>
/// Batch normalisation and dropout masks (part of <see cref="IBackend"/>). Batch-norm data is an [N, C, ...] view of
/// any layout (its trailing dimensions, HW positions in all, are 1 for [N, C] input, L for [N, C, L], H·W for images);
/// y, gY and gX have its shape. The per-channel vectors (γ, β, running and saved statistics, their gradients) are
/// [C] views.
/// </summary>
public interface INormalizationKernels
{
    /// <summary>
    /// y = (x − μ)·invstd·γ + β per channel (γ = 1 and β = 0 when null). With <c>UseBatchStats</c> μ and
    /// the biased variance σ² come from the batch (over N and HW, accumulated in double) and the running statistics,
    /// when given, are updated in place: rm = (1 − m)·rm + m·μ, rv = (1 − m)·rv + m·σ²·M/(M − 1) (unbiased, M = N·HW).
    /// Otherwise μ and σ² are the running statistics, which are then required. μ and invstd = 1/√(σ² + ε) are written to
    /// <c>SaveMean</c> and <c>SaveInvStd</c> for the backward pass. <paramref name="y"/> has x's shape.
    /// </summary>
    void BatchNormForward(BatchNormArgs args, in StridedView y);

    /// <summary>
    /// Gradients of <see cref="BatchNormForward"/> from its saved μ and invstd, with x̂ = (x − μ)·invstd and M = N·HW.
    /// Batch statistics: gx = γ·invstd/M · (M·gy − Σgy − x̂·Σ(gy·x̂)) (μ and σ² depend on x);
    /// running statistics: gx = γ·invstd·gy. Always gγ = Σ gy·x̂ and gβ = Σ gy. Null outputs are skipped.
    /// </summary>
    void BatchNormBackward(BatchNormArgs args, in StridedView gradY, BatchNormGrads grads);

    /// <summary>
    /// Each element of <paramref name="mask"/> is 0 with probability p, else 1/(1 − p). Element i (counted row-major) draws
    /// its uniform from a counter-based hash of (<paramref name="seed"/>, <paramref name="counterBase"/> + i) — see
    /// <see cref="DropoutHash"/> — so the mask depends neither on the thread count, nor on the device, nor on the view's
    /// layout. p = 0 gives all ones, p = 1 all zeros.
    /// </summary>
    void DropoutMask(in StridedView mask, float p, ulong seed, ulong counterBase);
}
