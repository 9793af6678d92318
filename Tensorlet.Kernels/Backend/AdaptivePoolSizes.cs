namespace Tensorlet.Kernels;

/// <summary>The sizes of an adaptive pooling call, read from its views: input [N, C, H, W], output [N, C, OutH, OutW].</summary>
public readonly record struct AdaptivePoolSizes(int N, int C, int H, int W, int OutH, int OutW)
{
    /// <summary>N·C planes.</summary>
    public int Planes => N * C;
}
