namespace Tensorlet.Kernels;

/// <summary>Where a batch-norm backward writes its gradients; a null buffer is not computed.</summary>
/// <param name="GradX">Gradient of the input, [N, C, HW] like it.</param>
/// <param name="GradXOffset">Where <paramref name="GradX"/>'s data starts.</param>
/// <param name="GradGamma">Gradient of γ (C floats).</param>
/// <param name="GradBeta">Gradient of β (C floats).</param>
public sealed record BatchNormGrads(DeviceBuffer? GradX, int GradXOffset, DeviceBuffer? GradGamma, DeviceBuffer? GradBeta);
