namespace Tensorlet.Kernels.Cpu.Conv;

/// <summary>
/// Where one vector of tiles reads its patch rows in <see cref="WinogradTransforms.InputVector{T, TS}"/>: from one run
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
}

/// <summary>A vector of tiles from one run.</summary>
internal readonly unsafe struct WholeVector : IPatchSegments
{
    public static int Count => 1;
    public static void Load<T>(float** s, nint at, out T evens, out T odds) where T : struct, IWinogradLanes<T> =>
        T.Deinterleave(s[0] + at, out evens, out odds);
}

/// <summary>A vector of tiles from two runs, half a vector each.</summary>
internal readonly unsafe struct HalfVectors : IPatchSegments
{
    public static int Count => 2;
    public static void Load<T>(float** s, nint at, out T evens, out T odds) where T : struct, IWinogradLanes<T> =>
        T.Deinterleave(s[0] + at, s[1] + at, out evens, out odds);
}

/// <summary>A vector of tiles from four runs, a quarter of a vector each (where the lanes have quarter loads).</summary>
internal readonly unsafe struct QuarterVectors : IPatchSegments
{
    public static int Count => 4;
    public static void Load<T>(float** s, nint at, out T evens, out T odds) where T : struct, IWinogradLanes<T> =>
        T.Deinterleave(s[0] + at, s[1] + at, s[2] + at, s[3] + at, out evens, out odds);
}
