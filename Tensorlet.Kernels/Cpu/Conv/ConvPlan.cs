namespace Tensorlet.Kernels.Cpu.Conv;

/// <summary>
/// The sizes every convolution pass derives from a <see cref="Conv2dGeometry"/>, seen as GEMMs: per image and
/// group, Y_g [Kg, OH·OW] = W_g [Kg, Cg·KH·KW] · col_g [Cg·KH·KW, OH·OW]. Also decides how a call is split
/// over threads.
/// </summary>
internal readonly struct ConvPlan
{
    public ConvPlan(in Conv2dGeometry g)
    {
        Geometry = g;
        Spatial = g.OutH * g.OutW;
        Plane = g.H * g.W;
        Rows = g.GroupC * g.KH * g.KW;
        Pointwise = g.KH == 1 && g.KW == 1 && g.StrideH == 1 && g.StrideW == 1 && g.PadH == 0 && g.PadW == 0;
        // Whole images per thread when there are enough to go round (each thread lowers its own images and
        // no GEMM waits for another); otherwise one image at a time with the threads inside each GEMM.
        BatchParts = g.N >= Threads.Count ? Threads.Count : 1;
    }

    public Conv2dGeometry Geometry { get; }

    /// <summary>OH·OW: the GEMM's n, columns of Y and of the lowered image.</summary>
    public int Spatial { get; }

    /// <summary>H·W: the elements of one input channel.</summary>
    public int Plane { get; }

    /// <summary>Cg·KH·KW: the GEMM's k for the forward pass, rows of the lowered image.</summary>
    public int Rows { get; }

    /// <summary>
    /// 1×1 kernel, stride 1, no padding: the lowered image is the image itself ([Cg, H·W] is already the GEMM
    /// operand), so no im2col or col2im is run.
    /// </summary>
    public bool Pointwise { get; }

    /// <summary>Parts the batch is split into (1: the GEMMs use the threads instead).</summary>
    public int BatchParts { get; }

    public int Groups => Geometry.Groups;
    public int GroupC => Geometry.GroupC;
    public int GroupK => Geometry.GroupK;

    /// <summary>Elements of one image of x, of y, and of one group's weights.</summary>
    public int ImageX => Geometry.C * Plane;
    public int ImageY => Geometry.K * Spatial;
    public int GroupWeights => GroupK * Rows;

    /// <summary>Length of the lowered-image scratch one thread needs for one group of one image.</summary>
    public long ColumnFloats => Pointwise ? 0 : (long)Rows * Spatial;

    /// <summary>Runs <paramref name="body"/>(part, first image, end image) over the static batch partition.</summary>
    public void ForImages(Action<int, int, int> body)
    {
        int parts = BatchParts, n = Geometry.N;
        if (parts <= 1)
        {
            body(0, 0, n);
            return;
        }
        Threads.Run(parts, p =>
        {
            var (s, e) = Threads.Range(n, parts, p);
            body(p, s, e);
        });
    }
}
