using Tensorlet.Kernels.Cpu.Gemm;

namespace Tensorlet.Kernels.Cpu.Conv;

/// <summary>
/// The sizes every convolution pass derives from a <see cref="Conv2dGeometry"/>, seen as GEMMs: per image and
/// group, Y_g [Kg, OH·OW] = W_g [Kg, Cg·KH·KW] · col_g [Cg·KH·KW, OH·OW]. Also decides how a call is split
/// over threads.
/// </summary>
internal readonly struct ConvPlan
{
    /// <param name="g">The convolution.</param>
    /// <param name="kernel">The GEMM micro-kernel.</param>
    /// <param name="imageX">Distance between the images of the x-shaped operand (x, or gX); null for dense, C·H·W.</param>
    /// <param name="imageY">Distance between the images of the y-shaped operand (y, or gY); null for dense, K·OH·OW.</param>
    public ConvPlan(in Conv2dGeometry g, GemmKernel kernel, int? imageX = null, int? imageY = null)
    {
        Geometry = g;
        ImageX = imageX ?? g.C * g.H * g.W;
        ImageY = imageY ?? g.K * g.OutH * g.OutW;
        Kernel = kernel;
        Spatial = g.OutH * g.OutW;
        Plane = g.H * g.W;
        Rows = g.GroupC * g.KH * g.KW;
        Pointwise = g.KH == 1 && g.KW == 1 && g.StrideH == 1 && g.StrideW == 1 && g.PadH == 0 && g.PadW == 0;
        // Whole images per thread when there are enough to go round (each thread lowers its own images and
        // no GEMM waits for another); otherwise one image at a time with the threads inside each GEMM.
        BatchParts = g.N >= Threads.Count ? Threads.Count : 1;
        // Small images give thin GEMMs (n = OH·OW) whose fixed costs (packing the weights, call overhead, edge
        // tiles) dominate; lowering several images side by side widens n to about TargetColumns.
        int perPart = Math.Max(1, (g.N + BatchParts - 1) / BatchParts);
        ImagesPerStep = Math.Clamp((TargetColumns + Spatial - 1) / Spatial, 1, perPart);
        Pointwise = Pointwise && ImagesPerStep == 1;
        Gather = Pointwise ? null : SmallPlaneGather.For(g);
    }

    /// <summary>The one-permute lowering of each (channel, tap) row where every input plane fits a register; else null.</summary>
    public SmallPlaneGather? Gather { get; }

    /// <summary>
    /// True when the images of x and y lie back to back (or there is only one): the routes that walk the whole batch as
    /// one array (Winograd's tiles) need that; the others take any image distance.
    /// </summary>
    public bool DenseImages => Geometry.N <= 1 ||
        ImageX == Geometry.C * Geometry.H * Geometry.W && ImageY == Geometry.K * Geometry.OutH * Geometry.OutW;

    /// <summary>The GEMM width (columns of the lowered images) worth batching small images up to.</summary>
    public const int TargetColumns = 1024;

    public Conv2dGeometry Geometry { get; }

    /// <summary>The GEMM micro-kernel every product of this call uses.</summary>
    public GemmKernel Kernel { get; }

    /// <summary>OH·OW: the GEMM's n, columns of Y and of the lowered image.</summary>
    public int Spatial { get; }

    /// <summary>H·W: the elements of one input channel.</summary>
    public int Plane { get; }

    /// <summary>Cg·KH·KW: the GEMM's k for the forward pass, rows of the lowered image.</summary>
    public int Rows { get; }

    /// <summary>
    /// 1×1 kernel, stride 1, no padding, one image per step: the lowered image is the image itself ([Cg, H·W] is
    /// already the GEMM operand), so no im2col or col2im is run.
    /// </summary>
    public bool Pointwise { get; }

    /// <summary>Images lowered side by side into one GEMM (the lowered matrix is [Rows, ImagesPerStep·Spatial]).</summary>
    public int ImagesPerStep { get; }

    /// <summary>Columns of one step's GEMM: ImagesPerStep·OH·OW.</summary>
    public int StepColumns => ImagesPerStep * Spatial;

    /// <summary>Parts the batch is split into (1: the GEMMs use the threads instead).</summary>
    public int BatchParts { get; }

    public int Groups => Geometry.Groups;
    public int GroupC => Geometry.GroupC;
    public int GroupK => Geometry.GroupK;

    /// <summary>
    /// Distance between consecutive images of x and of y: the image size when dense, more for a batch whose images are
    /// slices of wider ones (a channel slice of a shared buffer). Each image itself is dense.
    /// </summary>
    public int ImageX { get; }
    public int ImageY { get; }

    /// <summary>Elements of one group's weights.</summary>
    public int GroupWeights => GroupK * Rows;

    /// <summary>Length of the lowered-image scratch one thread needs for one group of one step.</summary>
    public long ColumnFloats => Pointwise ? 0 : (long)Rows * StepColumns;

    /// <summary>Length of the scratch for one group's gradient rows of one step ([Kg, StepColumns]), when batched.</summary>
    public long StepRowsFloats => ImagesPerStep > 1 ? (long)GroupK * StepColumns : 0;

    /// <summary>
    /// The forward pass fuses lowering into the GEMM's packing, one thread per part of the batch. When the batch is
    /// too small to split, the threads go inside a plain GEMM instead, so the lowered images are materialised.
    /// </summary>
    public bool FusedForward => !Pointwise && (BatchParts > 1 || Threads.Count == 1);

    /// <summary>
    /// Lowers group <paramref name="group"/> of <paramref name="count"/> consecutive images starting at
    /// <paramref name="x"/> into <paramref name="col"/>, image i in columns [i·Spatial, (i + 1)·Spatial).
    /// </summary>
    public unsafe void Lower(float* x, int count, int group, float* col)
    {
        float* padded = ConvScratch.Plane(Im2Col.PaddedPlane(Geometry));
        for (int i = 0; i < count; i++)
            Im2Col.Lower(Geometry, x + (nint)i * ImageX + (nint)group * GroupC * Plane, GroupC, col + (nint)i * Spatial, StepColumns, padded, Gather);
    }

    /// <summary>
    /// Copies group <paramref name="group"/>'s channels of <paramref name="count"/> images into zero-bordered planes at
    /// <paramref name="dst"/>, image after image: the source the fused forward GEMM reads.
    /// </summary>
    public unsafe void PadGroup(float* x, int count, int group, float* dst)
    {
        long plane = Im2Col.PaddedPlane(Geometry);
        for (int i = 0; i < count; i++)
        for (int c = 0; c < GroupC; c++)
            Im2Col.Pad(Geometry, x + (nint)i * ImageX + (nint)(group * GroupC + c) * Plane, dst + (nint)((i * GroupC + c) * plane));
    }

    /// <summary>The inverse of <see cref="Lower"/>: folds the lowered-image gradient back into (overwrites) group <paramref name="group"/> of each image.</summary>
    public unsafe void Fold(float* col, int count, int group, float* x)
    {
        float* plane = ConvScratch.Plane(Col2Im.PlaneFloats(Geometry));
        for (int i = 0; i < count; i++)
            Col2Im.Fold(Geometry, col + (nint)i * Spatial, StepColumns, GroupC, x + (nint)i * ImageX + (nint)group * GroupC * Plane, plane);
    }

    /// <summary>
    /// Copies group <paramref name="group"/>'s Kg rows of <paramref name="count"/> images of y-shaped data side by side
    /// into <paramref name="step"/> [Kg, StepColumns].
    /// </summary>
    public unsafe void GatherRows(float* images, int count, int group, float* step)
    {
        for (int i = 0; i < count; i++)
        for (int k = 0; k < GroupK; k++)
            Im2Col.Copy(images + (nint)i * ImageY + (nint)(group * GroupK + k) * Spatial, step + (nint)k * StepColumns + (nint)i * Spatial, Spatial);
    }

    /// <summary>
    /// The inverse of <see cref="GatherRows"/> from rows <paramref name="ld"/> apart, adding bias[k] (when given) on
    /// the way out.
    /// </summary>
    public unsafe void ScatterRows(float* step, int ld, int count, int group, float* images, float* bias)
    {
        for (int i = 0; i < count; i++)
        for (int k = 0; k < GroupK; k++)
        {
            float* src = step + (nint)k * ld + (nint)i * Spatial;
            float* dst = images + (nint)i * ImageY + (nint)(group * GroupK + k) * Spatial;
            if (bias == null) Im2Col.Copy(src, dst, Spatial);
            else ConvVectors.AddScalar(src, bias[group * GroupK + k], dst, Spatial);
        }
    }

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
