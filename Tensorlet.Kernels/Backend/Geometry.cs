namespace Tensorlet.Kernels;

/// <summary>
/// The sizes of one 2-D convolution over NCHW input: x [N, C, H, W], weight [K, C/groups, KH, KW], y [N, K, OH, OW],
/// OH = (H + 2·padH − dilH·(KH − 1) − 1) / strideH + 1 (floor), likewise OW — PyTorch's definition.
/// </summary>
public readonly record struct Conv2dGeometry(
    int N, int C, int H, int W, int K, int KH, int KW,
    int StrideH = 1, int StrideW = 1, int PadH = 0, int PadW = 0, int DilationH = 1, int DilationW = 1, int Groups = 1)
{
    public int OutH => (H + 2 * PadH - DilationH * (KH - 1) - 1) / StrideH + 1;
    public int OutW => (W + 2 * PadW - DilationW * (KW - 1) - 1) / StrideW + 1;

    /// <summary>Input channels per group.</summary>
    public int GroupC => C / Groups;

    /// <summary>Output channels per group.</summary>
    public int GroupK => K / Groups;

    /// <summary>The shape of x (and gX): [N, C, H, W].</summary>
    public int[] InputShape() => [N, C, H, W];

    /// <summary>The shape of the weight (and its gradient): [K, C/groups, KH, KW].</summary>
    public int[] WeightShape() => [K, GroupC, KH, KW];

    /// <summary>The shape of y (and gY): [N, K, OH, OW].</summary>
    public int[] OutputShape() => [N, K, OutH, OutW];

    /// <summary>The shape of Unfold's output (Fold's input): [N, C·KH·KW, OH·OW].</summary>
    public int[] ColumnsShape() => [N, C * KH * KW, OutH * OutW];

    /// <summary>Multiply-adds ×2 of the forward pass.</summary>
    public double Flops => 2.0 * N * K * OutH * OutW * GroupC * KH * KW;

    /// <summary>Throws an ArgumentException naming every inconsistent size.</summary>
    public void Validate()
    {
        if (N < 0 || C <= 0 || H <= 0 || W <= 0 || K <= 0 || KH <= 0 || KW <= 0)
            throw new ArgumentException($"Conv2d: sizes must be positive: {this}.");
        if (StrideH <= 0 || StrideW <= 0 || DilationH <= 0 || DilationW <= 0 || PadH < 0 || PadW < 0 || Groups <= 0)
            throw new ArgumentException($"Conv2d: stride and dilation must be positive and padding non-negative: {this}.");
        if (C % Groups != 0 || K % Groups != 0)
            throw new ArgumentException($"Conv2d: in_channels {C} and out_channels {K} must both be divisible by groups {Groups}.");
        if (OutH <= 0 || OutW <= 0)
            throw new ArgumentException(
                $"Conv2d: kernel {KH}×{KW} (dilation {DilationH}×{DilationW}) is larger than the padded input {H + 2 * PadH}×{W + 2 * PadW}.");
    }
}

/// <summary>
/// The sizes of one 2-D pooling over NCHW input with PyTorch's conventions: with ceil mode the output size is
/// ceil((H + 2p − k)/s) + 1, minus one when the last window would start at or beyond H + p. Average pooling
/// clips a window's end to H + p before counting; without <see cref="CountIncludePad"/> it divides by the
/// in-image elements only.
/// </summary>
public readonly record struct Pool2dGeometry(
    int N, int C, int H, int W, int KH, int KW,
    int StrideH, int StrideW, int PadH = 0, int PadW = 0, bool CeilMode = false, bool CountIncludePad = true)
{
    public int OutH => OutSize(H, KH, StrideH, PadH, CeilMode);
    public int OutW => OutSize(W, KW, StrideW, PadW, CeilMode);

    /// <summary>The shape of the input (and its gradient): [N, C, H, W].</summary>
    public int[] InputShape() => [N, C, H, W];

    /// <summary>The shape of the output, the indices and the output gradient: [N, C, OH, OW].</summary>
    public int[] OutputShape() => [N, C, OutH, OutW];

    public static int OutSize(int size, int k, int s, int p, bool ceil)
    {
        int span = size + 2 * p - k;
        int o = (ceil ? (span + s - 1) / s : span / s) + 1;
        if (ceil && (o - 1) * s >= size + p) o--;
        return o;
    }

    public void Validate()
    {
        if (N < 0 || C <= 0 || H <= 0 || W <= 0 || KH <= 0 || KW <= 0 || StrideH <= 0 || StrideW <= 0 || PadH < 0 || PadW < 0)
            throw new ArgumentException($"Pool2d: invalid sizes {this}.");
        if (PadH > KH / 2 || PadW > KW / 2)
            throw new ArgumentException($"Pool2d: padding {PadH}×{PadW} must be at most half the kernel {KH}×{KW}.");
        // Checked before OutH/OutW: C#'s division truncates a negative span towards 0, which would give one output.
        if (KH > H + 2 * PadH || KW > W + 2 * PadW || OutH <= 0 || OutW <= 0)
            throw new ArgumentException($"Pool2d: kernel {KH}×{KW} is larger than the padded input {H + 2 * PadH}×{W + 2 * PadW}.");
    }
}
