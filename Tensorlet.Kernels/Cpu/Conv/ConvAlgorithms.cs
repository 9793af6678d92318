namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// Which algorithm the CPU convolutions use for 3×3, stride-1 layers (set through <see cref="CpuConvolution.Algorithm"/>).
/// <see cref="Auto"/> takes Winograd where it pays; the others pin one, so the same program can be checked with both
/// on one machine, or pinned to the bits of one.
/// </summary>
public enum ConvAlgorithms
{
    /// <summary>Winograd F(2×2, 3×3) for eligible layers with enough channels to pay for its transforms, im2col + GEMM otherwise.</summary>
    Auto,

    /// <summary>Never Winograd: im2col + GEMM (or the direct kernel for layers with very few taps).</summary>
    Im2col,

    /// <summary>
    /// Winograd F(2×2, 3×3) for every eligible layer (ungrouped, 3×3, stride 1, dilation 1, padding at most 2; the
    /// forward pass and the input gradient), whatever its channel count. Other layers still use im2col + GEMM.
    /// </summary>
    Winograd,
}
