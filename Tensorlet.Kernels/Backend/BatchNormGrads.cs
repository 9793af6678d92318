namespace Tensorlet.Kernels;

/// <summary>Where a batch-norm backward writes its gradients; a null view is not computed.</summary>
/// <param name="GradX">Gradient of the input, x's shape.</param>
/// <param name="GradGamma">Gradient of γ, [C].</param>
/// <param name="GradBeta">Gradient of β, [C].</param>
public sealed record BatchNormGrads(StridedView? GradX, StridedView? GradGamma, StridedView? GradBeta);
