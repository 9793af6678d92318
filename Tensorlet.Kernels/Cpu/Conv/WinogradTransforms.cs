using System.Runtime.CompilerServices;

namespace Tensorlet.Kernels.Cpu.Conv;

/// <summary>
/// The three transforms of Winograd F(2×2, 3×3) (Lavin and Gray, 2016): a 2×2 block of outputs of a 3×3 filter g over
/// the 4×4 input patch d is Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A, 16 multiplies instead of 36. Summed over input channels,
/// the elementwise product becomes 16 independent GEMMs, one per position ξ of the 4×4 transformed tile.
/// <code>
/// Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1]   G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1]   Aᵀ = [1 1 1 0; 0 1 −1 −1]
/// </code>
/// Bᵀ and Aᵀ hold only ±1, so the data transforms are adds and subtracts, vectorised across the tiles of a chunk.
/// </summary>
internal static unsafe class WinogradTransforms
{
    /// <summary>Positions ξ of a transformed 4×4 tile: the number of GEMMs.</summary>
    public const int Positions = 16;

    /// <summary>
    /// U[ξ] = (G g Gᵀ)[ξ] for output channels [k0, k1) of weights w [K, C, 3, 3], written straight into the GEMM's packed
    /// A layout: per ξ (<paramref name="positionStride"/> apart), MR-row panels of [C][MR], element (k, c) at
    /// (k / MR)·MR·C + c·MR + k % MR, so a KC slice from channel pc of a panel is contiguous at pc·MR.
    /// </summary>
    public static void Filters(float* w, int k0, int k1, int channels, int mr, nint positionStride, float* u)
    {
        float* t = stackalloc float[12];
        for (int k = k0; k < k1; k++)
        for (int c = 0; c < channels; c++)
        {
            float* g = w + ((nint)k * channels + c) * 9;
            // t = G g, row by row (4×3).
            for (int j = 0; j < 3; j++)
            {
                float g0 = g[j], g1 = g[3 + j], g2 = g[6 + j];
                t[j] = g0;
                t[3 + j] = 0.5f * (g0 + g1 + g2);
                t[6 + j] = 0.5f * (g0 - g1 + g2);
                t[9 + j] = g2;
            }
            float* dst = u + (nint)(k / mr) * mr * channels + (nint)c * mr + k % mr;
            // (t Gᵀ) row i is [t0, ½(t0 + t1 + t2), ½(t0 − t1 + t2), t2].
            for (int i = 0; i < 4; i++, dst += 4 * positionStride)
            {
                float a = t[3 * i], b = t[3 * i + 1], e = t[3 * i + 2];
                dst[0] = a;
                dst[positionStride] = 0.5f * (a + b + e);
                dst[2 * positionStride] = 0.5f * (a - b + e);
                dst[3 * positionStride] = e;
            }
        }
    }

    /// <summary>
    /// The first half of V = Bᵀ d B for one run of tiles (one row of tiles of one image) in one channel: each of the 4
    /// patch rows i times B, for every tile of the run, into rows[(4j + i)·rowStride + run.Start + …] (j the column).
    /// The patches of neighbouring tiles start 2 floats apart, so a vector of tiles reads its patch rows as
    /// deinterleaved pairs. A run's last vector may write up to a vector past the run (the next run's entries,
    /// rewritten after) and read past its patch rows.
    /// </summary>
    public static void InputRows<T>(float* plane, int ld, in TileRun run, float* rows, int rowStride)
        where T : struct, IWinogradLanes<T>
    {
        int n = T.Count;
        float* top = plane + (nint)2 * run.Row * ld + 2 * run.Column;
        for (int i = 0; i < 4; i++, top += ld)
        {
            float* r = rows + i * rowStride + run.Start;
            for (int q = 0; q < run.Length; q += n)
            {
                // The patch row x₀ x₁ x₂ x₃ is e0 o0 e1 o1.
                T.Deinterleave(top + 2 * q, out T e0, out T o0);
                T.Deinterleave(top + 2 * q + 2, out T e1, out T o1);
                InputStep(e0, o0, e1, o1, r + q, r + 4 * rowStride + q, r + 8 * rowStride + q, r + 12 * rowStride + q);
            }
        }
    }

    /// <summary>
    /// Both halves at once for one vector of tiles, its patch rows read through <typeparamref name="TS"/> from
    /// s[i] + at (each piece's top-left float, <paramref name="ld"/> between rows): the 4 patch rows times B stay in
    /// registers, and Bᵀ down their columns goes straight to dst[ξ·positionStride]. This skips the staged rows of
    /// <see cref="InputRows{T}"/> and <see cref="InputTiles{T}"/> (16 stores and 16 loads per vector and channel).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void InputVector<T, TS>(float** s, nint at, int ld, float* dst, nint positionStride)
        where T : struct, IWinogradLanes<T> where TS : struct, IPatchSegments
    {
        InputRow<T, TS>(s, at, out T a0, out T b0, out T c0, out T d0);
        InputRow<T, TS>(s, at + ld, out T a1, out T b1, out T c1, out T d1);
        InputRow<T, TS>(s, at + 2 * ld, out T a2, out T b2, out T c2, out T d2);
        InputRow<T, TS>(s, at + 3 * ld, out T a3, out T b3, out T c3, out T d3);
        InputStep(a0, a1, a2, a3, dst, dst + 4 * positionStride, dst + 8 * positionStride, dst + 12 * positionStride);
        InputStep(b0, b1, b2, b3, dst + positionStride, dst + 5 * positionStride, dst + 9 * positionStride, dst + 13 * positionStride);
        InputStep(c0, c1, c2, c3, dst + 2 * positionStride, dst + 6 * positionStride, dst + 10 * positionStride, dst + 14 * positionStride);
        InputStep(d0, d1, d2, d3, dst + 3 * positionStride, dst + 7 * positionStride, dst + 11 * positionStride, dst + 15 * positionStride);
    }

    /// <summary>One patch row x₀ x₁ x₂ x₃ (read as e0 o0 e1 o1) times B: [x₀ − x₂, x₁ + x₂, x₂ − x₁, x₁ − x₃].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputRow<T, TS>(float** s, nint at, out T r0, out T r1, out T r2, out T r3)
        where T : struct, IWinogradLanes<T> where TS : struct, IPatchSegments
    {
        TS.Load(s, at, out T e0, out T o0);
        TS.Load(s, at + 2, out T e1, out T o1);
        r0 = e0 - e1;
        r1 = o0 + e1;
        r2 = e1 - o0;
        r3 = o0 - o1;
    }

    /// <summary>
    /// The second half: Bᵀ down each column of the staged rows, for tiles [0, count) of a chunk, into the packed B
    /// panels of V (tile q of position ξ at v + ξ·positionStride + (q / nr)·panelStride + q % nr). Lanes past count
    /// up to a whole vector are written too, from stale rows; the caller clears them.
    /// </summary>
    public static void InputTiles<T>(float* rows, int rowStride, int count, float* v, nint positionStride, int nr, nint panelStride)
        where T : struct, IWinogradLanes<T>
    {
        int n = T.Count;
        for (int q = 0; q < count; q += n)
        {
            float* dst = v + q / nr * panelStride + q % nr;
            for (int j = 0; j < 4; j++)
            {
                float* r = rows + 4 * j * rowStride + q;
                InputStep(T.Load(r), T.Load(r + rowStride), T.Load(r + 2 * rowStride), T.Load(r + 3 * rowStride),
                          dst + j * positionStride, dst + (4 + j) * positionStride, dst + (8 + j) * positionStride,
                          dst + (12 + j) * positionStride);
            }
        }
    }

    /// <summary>
    /// Y = Aᵀ M A + bias for tiles [0, count) of a chunk of one output channel (m[ξ] at m + ξ·positionStride): tile q's
    /// top outputs go to top[2q], top[2q + 1] and its bottom ones likewise to bottom, so a run of tiles in one row
    /// of the image is two contiguous output rows. Whole vectors: up to a vector of lanes past count is written too.
    /// </summary>
    public static void OutputTiles<T>(float* m, nint positionStride, int count, float bias, float* top, float* bottom)
        where T : struct, IWinogradLanes<T>
    {
        int n = T.Count;
        T b = T.Broadcast(bias);
        for (int q = 0; q < count; q += n)
        {
            float* s = m + q;
            OutputColumn(s, positionStride, out T t00, out T t10);
            OutputColumn(s + positionStride, positionStride, out T t01, out T t11);
            OutputColumn(s + 2 * positionStride, positionStride, out T t02, out T t12);
            OutputColumn(s + 3 * positionStride, positionStride, out T t03, out T t13);
            // (Aᵀ m) A: row i of the block is [tᵢ₀ + tᵢ₁ + tᵢ₂, tᵢ₁ − tᵢ₂ − tᵢ₃].
            T.Interleave(t00 + t01 + t02 + b, t01 - t02 - t03 + b, top + 2 * q);
            T.Interleave(t10 + t11 + t12 + b, t11 - t12 - t13 + b, bottom + 2 * q);
        }
    }

    /// <summary>
    /// <see cref="OutputTiles{T}"/> for one vector of tiles (m its first tile's m[0]) written straight into the output:
    /// each piece's top outputs at s[i] + at, its bottom ones <paramref name="width"/> floats below. Only for tiles
    /// wholly inside the output (no odd edge to clip).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void OutputVector<T, TS>(float* m, nint positionStride, T bias, float** s, nint at, int width)
        where T : struct, IWinogradLanes<T> where TS : struct, IPatchSegments
    {
        OutputColumn(m, positionStride, out T t00, out T t10);
        OutputColumn(m + positionStride, positionStride, out T t01, out T t11);
        OutputColumn(m + 2 * positionStride, positionStride, out T t02, out T t12);
        OutputColumn(m + 3 * positionStride, positionStride, out T t03, out T t13);
        TS.Store(s, at, t00 + t01 + t02 + bias, t01 - t02 - t03 + bias);
        TS.Store(s, at + width, t10 + t11 + t12 + bias, t11 - t12 - t13 + bias);
    }

    /// <summary>
    /// The gradient of <see cref="OutputTiles{T}"/>: dM = A dY Aᵀ for one vector of tiles of one output channel, dY's
    /// rows given as 2·Count floats each (tile q's pair at 2q, zero where the output ends), into
    /// dm[ξ·positionStride + q].
    /// </summary>
    public static void OutputGradients<T>(float* top, float* bottom, float* dm, nint positionStride) where T : struct, IWinogradLanes<T>
    {
        T.Deinterleave(top, out T a, out T b);
        T.Deinterleave(bottom, out T c, out T d);
        // A dY: rows [a b], [a + c, b + d], [a − c, b − d], [−c, −d]; each row [s₀ s₁] times Aᵀ is [s₀, s₀ + s₁, s₀ − s₁, −s₁].
        T zero = T.Broadcast(0f);
        GradientRow(a, b, dm, positionStride);
        GradientRow(a + c, b + d, dm + 4 * positionStride, positionStride);
        GradientRow(a - c, b - d, dm + 8 * positionStride, positionStride);
        GradientRow(zero - c, zero - d, dm + 12 * positionStride, positionStride);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GradientRow<T>(T s0, T s1, float* dm, nint positionStride) where T : struct, IWinogradLanes<T>
    {
        T.Store(s0, dm);
        T.Store(s0 + s1, dm + positionStride);
        T.Store(s0 - s1, dm + 2 * positionStride);
        T.Store(T.Broadcast(0f) - s1, dm + 3 * positionStride);
    }

    /// <summary>
    /// The gradient of <see cref="Filters"/>: gW[k, c] = Gᵀ dU[k, c] G (3×3) for output channels [k0, k1), dU[ξ] a
    /// plain [K][C] matrix per position (<paramref name="positionStride"/> apart).
    /// </summary>
    public static void FilterGradients(float* du, int k0, int k1, int channels, nint positionStride, float* gw)
    {
        float* r = stackalloc float[12];
        for (int k = k0; k < k1; k++)
        for (int c = 0; c < channels; c++)
        {
            float* d = du + (nint)k * channels + c;
            // r = Gᵀ dU (3×4), column by column; Gᵀ's rows are [1 ½ ½ 0], [0 ½ −½ 0], [0 ½ ½ 1].
            for (int j = 0; j < 4; j++)
            {
                float d0 = d[j * positionStride], d1 = d[(4 + j) * positionStride], d2 = d[(8 + j) * positionStride], d3 = d[(12 + j) * positionStride];
                r[j] = d0 + 0.5f * (d1 + d2);
                r[4 + j] = 0.5f * (d1 - d2);
                r[8 + j] = 0.5f * (d1 + d2) + d3;
            }
            float* dst = gw + ((nint)k * channels + c) * 9;
            for (int i = 0; i < 3; i++)
            {
                float r0 = r[4 * i], r1 = r[4 * i + 1], r2 = r[4 * i + 2], r3 = r[4 * i + 3];
                dst[3 * i] = r0 + 0.5f * (r1 + r2);
                dst[3 * i + 1] = 0.5f * (r1 - r2);
                dst[3 * i + 2] = 0.5f * (r1 + r2) + r3;
            }
        }
    }

    /// <summary>Aᵀ down column j of m (its 4 values 4 positions apart): [m₀ + m₁ + m₂, m₁ − m₂ − m₃].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OutputColumn<T>(float* m, nint positionStride, out T t0, out T t1) where T : struct, IWinogradLanes<T>
    {
        T m0 = T.Load(m), m1 = T.Load(m + 4 * positionStride), m2 = T.Load(m + 8 * positionStride), m3 = T.Load(m + 12 * positionStride);
        t0 = m0 + m1 + m2;
        t1 = m1 - m2 - m3;
    }

    /// <summary>The 1-D Bᵀ of four vectors: [x₀ − x₂, x₁ + x₂, x₂ − x₁, x₁ − x₃].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputStep<T>(T x0, T x1, T x2, T x3, float* o0, float* o1, float* o2, float* o3)
        where T : struct, IWinogradLanes<T>
    {
        T.Store(x0 - x2, o0);
        T.Store(x1 + x2, o1);
        T.Store(x2 - x1, o2);
        T.Store(x1 - x3, o3);
    }
}
