using Tensorlet.Kernels.Cpu.Gemm;

namespace Tensorlet.Kernels.Cpu.Conv;

/// <summary>
/// How <see cref="WinogradConv"/> cuts one call into tiles: ⌈OH/2⌉×⌈OW/2⌉ tiles per image, numbered image by image,
/// row by row; each reads a 4×4 patch of a zero-bordered copy of its image whose planes are 2·⌈OH/2⌉ + 2 rows of
/// 2·⌈OW/2⌉ + 2 floats (the padding, plus a zero row and column where an odd output leaves the last tile overhanging).
/// A thread keeps the bordered copies of the few images its current chunk of tiles touches in a ring of
/// <see cref="Slots"/>.
/// </summary>
internal readonly unsafe struct WinogradTiling
{
    /// <summary>4×4 tiles (2×2 outputs each) per image: ⌈OutH/2⌉·⌈OutW/2⌉.</summary>
    public static int TilesPerImage(in Conv2dGeometry g) => (g.OutH + 1) / 2 * ((g.OutW + 1) / 2);

    /// <summary>
    /// The tiling of <paramref name="g"/> for <paramref name="kernel"/>'s panels. <paramref name="deep"/> takes the
    /// largest chunk: the weight gradient's GEMMs sum over a chunk's tiles, so there the chunk is their depth k.
    /// </summary>
    public WinogradTiling(in Conv2dGeometry g, GemmKernel kernel, bool deep = false)
    {
        Geometry = g;
        Kernel = kernel;
        TilesW = (g.OutW + 1) / 2;
        PerImage = TilesPerImage(g);
        Ld = 2 * TilesW + 2;
        Plane = ((g.OutH + 1) / 2 * 2 + 2) * Ld;
        PaddedK = BlockedGemm.RoundUp(g.K, kernel.MR);
        // As many NR panels as keep a chunk's V and M near L2, at least one.
        Chunk = kernel.NR * (deep ? DeepPanels : Math.Clamp(CacheFloats / (WinogradTransforms.Positions * (g.C + PaddedK) * kernel.NR), 1, MaxPanels));
        // A run of Chunk tiles spans at most this many images.
        Slots = Math.Min((Chunk - 1) / PerImage + 2, g.N);
    }

    // A chunk's V and M stay within about this many floats (1 MiB, a core's L2), in at most MaxPanels NR panels. Six
    // rather than four: ResNet-20's 16- and 32-channel layers then take 6 and 5 panels, and their Winograd forward ran
    // 5-9% faster in `winograd-ratio 21 r20-s1,r20-s2,r20-s3` (6 alternating pairs of processes); the 64-channel
    // layers stay at the 2 the cache allows.
    private const int CacheFloats = 1 << 18;
    private const int MaxPanels = 6;

    // The weight gradient's chunk: the depth of its GEMMs.
    private const int DeepPanels = 4;

    public Conv2dGeometry Geometry { get; }
    public GemmKernel Kernel { get; }

    /// <summary>Tiles per row of output, and per image.</summary>
    public int TilesW { get; }
    public int PerImage { get; }

    /// <summary>Row length and size of one bordered input plane.</summary>
    public int Ld { get; }
    public int Plane { get; }

    /// <summary>Floats of one bordered image (C planes).</summary>
    public nint ImageFloats => (nint)Geometry.C * Plane;

    /// <summary>K rounded up to whole MR panels: the rows of U and M.</summary>
    public int PaddedK { get; }

    /// <summary>Tiles transformed and multiplied together: whole NR panels.</summary>
    public int Chunk { get; }

    /// <summary>Bordered images a thread keeps at once.</summary>
    public int Slots { get; }

    /// <summary>Floats of U per position ξ.</summary>
    public nint PositionWeights => (nint)PaddedK * Geometry.C;

    /// <summary>
    /// Copies image <paramref name="x"/> [C, H, W] into bordered planes at <paramref name="dst"/>. With
    /// <paramref name="bordered"/> the slot already holds an image of this tiling, whose zero border still stands, so
    /// only the interior rows are copied (a row's three calls were most of the copy's cost on 8- to 32-wide rows).
    /// </summary>
    public void PadImage(float* x, float* dst, bool bordered)
    {
        var g = Geometry;
        if (!bordered) new Span<float>(dst, (int)ImageFloats).Clear();
        float* d = dst + g.PadH * Ld + g.PadW;
        for (int c = 0; c < g.C; c++, d += Plane)
        for (int h = 0; h < g.H; h++, x += g.W)
            Im2Col.Copy(x, d + h * Ld, g.W);
    }

    /// <summary>
    /// Splits tiles [first, first + count) into runs along rows of tiles (a run never spans two tile rows or images);
    /// returns the number of runs, at most count.
    /// </summary>
    public int Runs(int first, int count, TileRun* runs)
    {
        int n = 0;
        for (int i = 0; i < count;)
        {
            int tile = first + i, image = tile / PerImage, r = tile % PerImage, column = r % TilesW;
            int length = Math.Min(TilesW - column, count - i);
            runs[n++] = new TileRun(image, r / TilesW, column, length, i);
            i += length;
        }
        return n;
    }
}

/// <summary>
/// Tiles <see cref="Column"/> … <see cref="Column"/> + <see cref="Length"/> − 1 of tile row <see cref="Row"/> of image
/// <see cref="Image"/>, at <see cref="Start"/> within their chunk.
/// </summary>
internal readonly record struct TileRun(int Image, int Row, int Column, int Length, int Start);
