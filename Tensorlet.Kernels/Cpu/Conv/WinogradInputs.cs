using static Tensorlet.Kernels.Cpu.Conv.WinogradTransforms;

namespace Tensorlet.Kernels.Cpu.Conv;

/// <summary>
/// One thread's walk over its share of the batch's tiles, chunk by chunk, as the forward pass and the weight gradient
/// both need it: it keeps the images the current chunk touches zero-bordered in a ring (each slot's border written
/// once per walk: the images that follow in it have the same shape and only overwrite the interior), splits the chunk into runs
/// along tile rows, and writes the chunk's transformed input V. Its scratch is the calling thread's.
/// </summary>
internal unsafe struct WinogradInputs
{
    private readonly WinogradTiling _tiling;
    private readonly float* _x, _ring, _rows;
    private readonly int _rowStride;
    private readonly int _first;
    private int _padded;

    /// <summary>A walk over x's tiles from tile <paramref name="start"/> on, for vectors of <paramref name="lanes"/>.</summary>
    public WinogradInputs(in WinogradTiling tiling, float* x, int start, int lanes)
    {
        _tiling = tiling;
        _x = x;
        _rowStride = tiling.Chunk + lanes;
        // A run's last vector reads a little past its patch rows, so the ring has slack after its last plane.
        _ring = ConvScratch.Column(tiling.Slots * tiling.ImageFloats + 4 * lanes);
        _rows = ConvScratch.Plane((long)Positions * _rowStride);
        _first = _padded = start / tiling.PerImage;
    }

    /// <summary>
    /// Tiles [t0, t0 + count): borders the images not yet in the ring, fills <paramref name="runs"/> (returning how
    /// many), and writes V: tile q of channel c at position ξ to v + ξ·C·Chunk + (q / nr)·panelStride + c·nr + q % nr
    /// (nr = Chunk, panelStride = 0 gives plain [ξ][C][Chunk] rows).
    /// </summary>
    public int Transform<T>(int t0, int count, TileRun* runs, float* v, int nr, nint panelStride) where T : struct, IWinogradLanes<T>
    {
        var t = _tiling;
        var g = t.Geometry;
        for (int last = (t0 + count - 1) / t.PerImage; _padded <= last; _padded++)
            t.PadImage(_x + (nint)_padded * g.C * g.H * g.W, _ring + _padded % t.Slots * t.ImageFloats, _padded - _first >= t.Slots);
        int runCount = t.Runs(t0, count, runs);
        int pieces = WinogradPieces.Count<T>(runs, runCount, nr);
        if (pieces != 0)
        {
            Direct<T>(runs, count, pieces, v, nr, panelStride);
            return runCount;
        }
        for (int c = 0; c < g.C; c++)
        {
            for (int r = 0; r < runCount; r++)
                InputRows<T>(_ring + runs[r].Image % t.Slots * t.ImageFloats + (nint)c * t.Plane, t.Ld, runs[r], _rows, _rowStride);
            InputTiles<T>(_rows, _rowStride, count, v + (nint)c * nr, (nint)g.C * t.Chunk, nr, panelStride);
        }
        return runCount;
    }

    /// <summary>
    /// V for tiles [0, count) of the chunk, a vector at a time straight from the ring. Each vector's pieces point at
    /// their patches in channel 0; a piece wholly past count repeats the one before (its lanes are never used). The last
    /// vector writes whole lanes past count (as <see cref="InputTiles{T}"/> does, for the caller to clear) and reads past
    /// its patch rows, within the ring's slack.
    /// </summary>
    private void Direct<T>(TileRun* runs, int count, int pieces, float* v, int nr, nint panelStride) where T : struct, IWinogradLanes<T>
    {
        var t = _tiling;
        int n = T.Count, vectors = (count + n - 1) / n;
        float** s = stackalloc float*[vectors * pieces];
        WinogradPieces.Starts(runs, count, n, pieces, s, _ring, t.Slots, t.ImageFloats, t.Ld);
        switch (pieces)
        {
            case 1: Channels<T, WholeVector>(s, vectors, v, nr, panelStride); break;
            case 2: Channels<T, HalfVectors>(s, vectors, v, nr, panelStride); break;
            default: Channels<T, QuarterVectors>(s, vectors, v, nr, panelStride); break;
        }
    }

    private void Channels<T, TS>(float** s, int vectors, float* v, int nr, nint panelStride)
        where T : struct, IWinogradLanes<T> where TS : struct, IPatchSegments
    {
        var t = _tiling;
        int n = T.Count, ld = t.Ld, channels = t.Geometry.C;
        nint positionStride = (nint)channels * t.Chunk;
        for (int c = 0; c < channels; c++)
        for (int j = 0; j < vectors; j++)
        {
            int q = j * n;
            InputVector<T, TS>(s + j * TS.Count, (nint)c * t.Plane, ld, v + (nint)c * nr + q / nr * panelStride + q % nr, positionStride);
        }
    }
}
