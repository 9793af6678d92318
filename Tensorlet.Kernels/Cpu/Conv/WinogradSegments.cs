namespace Tensorlet.Kernels.Cpu.Conv;

/// <summary>
/// Where one vector of tiles reads its patch rows in <see cref="WinogradTransforms.InputVector{T, TS}"/> and writes
/// its outputs in <see cref="WinogradTransforms.OutputVector{T, TS}"/>: from and to one run
/// (a whole vector of tiles side by side), or from two or four runs of half or a quarter of a vector each, the short
/// tile rows of small maps (8 tiles on 16×16, 4 on 8×8). The JIT compiles the transform separately for each struct
/// below, so the choice costs nothing per vector.
/// </summary>
internal unsafe interface IPatchSegments
{
    /// <summary>The pieces a vector's tiles come in.</summary>
    static abstract int Count { get; }

    /// <summary>The even and odd floats of one patch row of the vector's tiles, piece i's from s[i] + at.</summary>
    static abstract void Load<T>(float** s, nint at, out T evens, out T odds) where T : struct, IWinogradLanes<T>;

    /// <summary>Stores a₀ b₀ a₁ b₁ …, piece i's pairs at s[i] + at.</summary>
    static abstract void Store<T>(float** s, nint at, T a, T b) where T : struct, IWinogradLanes<T>;
}

/// <summary>A vector of tiles from one run.</summary>
internal readonly unsafe struct WholeVector : IPatchSegments
{
    public static int Count => 1;
    public static void Load<T>(float** s, nint at, out T evens, out T odds) where T : struct, IWinogradLanes<T> =>
        T.Deinterleave(s[0] + at, out evens, out odds);
    public static void Store<T>(float** s, nint at, T a, T b) where T : struct, IWinogradLanes<T> => T.Interleave(a, b, s[0] + at);
}

/// <summary>A vector of tiles from two runs, half a vector each.</summary>
internal readonly unsafe struct HalfVectors : IPatchSegments
{
    public static int Count => 2;
    public static void Load<T>(float** s, nint at, out T evens, out T odds) where T : struct, IWinogradLanes<T> =>
        T.Deinterleave(s[0] + at, s[1] + at, out evens, out odds);
    public static void Store<T>(float** s, nint at, T a, T b) where T : struct, IWinogradLanes<T> =>
        T.Interleave(a, b, s[0] + at, s[1] + at);
}

/// <summary>A vector of tiles from four runs, a quarter of a vector each (where the lanes have quarter loads).</summary>
internal readonly unsafe struct QuarterVectors : IPatchSegments
{
    public static int Count => 4;
    public static void Load<T>(float** s, nint at, out T evens, out T odds) where T : struct, IWinogradLanes<T> =>
        T.Deinterleave(s[0] + at, s[1] + at, s[2] + at, s[3] + at, out evens, out odds);
    public static void Store<T>(float** s, nint at, T a, T b) where T : struct, IWinogradLanes<T> =>
        T.Interleave(a, b, s[0] + at, s[1] + at, s[2] + at, s[3] + at);
}

/// <summary>How a chunk's runs of tiles split into the pieces of <see cref="IPatchSegments"/>, for input and output alike.</summary>
internal static unsafe class WinogradPieces
{
    /// <summary>
    /// The fewest of 1, 2, 4 pieces per vector such that no piece spans two runs (every run starts, and every run but
    /// the last ends, on a piece boundary); 0 when none fits or a vector would cross an <paramref name="nr"/>-wide panel.
    /// </summary>
    public static int Count<T>(TileRun* runs, int runCount, int nr) where T : struct, IWinogradLanes<T>
    {
        int n = T.Count;
        if (nr % n != 0) return 0;
        for (int pieces = 1; pieces <= (T.QuarterLoads ? 4 : 2); pieces *= 2)
        {
            int size = n / pieces;
            bool fits = true;
            for (int r = 0; r < runCount && fits; r++)
                fits = runs[r].Start % size == 0 && (r == runCount - 1 || runs[r].Length % size == 0);
            if (fits) return pieces;
        }
        return 0;
    }

    /// <summary>
    /// Each piece's first float for tiles [0, count) into s[0 .. ⌈count / lanes⌉·pieces): tile (image, row, column) at
    /// origin + (image % slots)·imageFloats + 2·row·rowFloats + 2·column. A piece wholly past count repeats the one
    /// before, so its lanes read valid memory (and are never used).
    /// </summary>
    public static void Starts(TileRun* runs, int count, int lanes, int pieces, float** s, float* origin, int slots, nint imageFloats, int rowFloats)
    {
        int size = lanes / pieces, total = (count + lanes - 1) / lanes * pieces;
        for (int i = 0, r = 0; i < total; i++)
        {
            int tile = i * size;
            if (tile >= count)
            {
                s[i] = s[i - 1];
                continue;
            }
            while (runs[r].Start + runs[r].Length <= tile) r++;
            var run = runs[r];
            s[i] = origin + run.Image % slots * imageFloats + (nint)2 * run.Row * rowFloats + 2 * (run.Column + tile - run.Start);
        }
    }
}
