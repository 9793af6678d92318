using System.Runtime.CompilerServices;

namespace Tensorlet.Kernels.Cpu.Conv;

/// <summary>
/// The three transforms of Winograd F(2×2, 3×3) (Lavin and Gray, 2016): a 2×2 block of outputs of a 3×3 filter g over
/// the 4×4 input patch d is Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A, 16 multiplies instead of 36. Summed over input channels,
/// the elementwise product becomes 16 independent GEMMs, one per position ξ of the 4×4 transformed tile.
/// <code>
/// Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1]   G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1]   Aᵀ = [1 1 1 0; 0 1 −1 −1]
/// </code>
/// Bᵀ and Aᵀ hold only ±1, so the data transforms are adds and subtracts, vectorised across tiles.
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
    /// V[ξ] = (Bᵀ d B)[ξ] for one vector of tiles over every channel: lane l's 4×4 patch starts at
    /// source + offsets[l] (rows <paramref name="ld"/> apart, channels <paramref name="plane"/> apart). Lane l of
    /// channel c's value for position ξ goes to dst[ξ·positionStride + c·channelStride + l]. <paramref name="stage"/>
    /// holds 16 vectors.
    /// </summary>
    public static void Inputs<T>(float* source, int* offsets, int channels, int plane, int ld, float* dst,
                                 nint positionStride, nint channelStride, float* stage) where T : struct, IWinogradLanes<T>
    {
        int n = T.Count;
        for (int c = 0; c < channels; c++, dst += channelStride)
        {
            float* src = source + (nint)c * plane;
            // The patches start at unrelated offsets (tiles of several rows and images share a vector), so they are
            // gathered lane by lane into the stage, d[i][j] at stage[(4i + j)·n + l].
            for (int l = 0; l < n; l++)
            {
                float* p = src + offsets[l], s = stage + l;
                for (int i = 0; i < 4; i++, p += ld, s += 4 * n)
                {
                    s[0] = p[0];
                    s[n] = p[1];
                    s[2 * n] = p[2];
                    s[3 * n] = p[3];
                }
            }
            // Bᵀ d down each column (in place), then · B along each row into V.
            for (int j = 0; j < 4; j++)
            {
                float* col = stage + j * n;
                InputStep<T>(col, col + 4 * n, col + 8 * n, col + 12 * n, col, col + 4 * n, col + 8 * n, col + 12 * n);
            }
            for (int i = 0; i < 4; i++)
            {
                float* row = stage + 4 * i * n, o = dst + 4 * i * positionStride;
                InputStep<T>(row, row + n, row + 2 * n, row + 3 * n, o, o + positionStride, o + 2 * positionStride, o + 3 * positionStride);
            }
        }
    }

    /// <summary>
    /// One vector of tiles of one output channel: m[ξ] = src[ξ·positionStride], out = Aᵀ m A + bias as four vectors
    /// (the 2×2 outputs in row-major order) in <paramref name="output"/>; <paramref name="stage"/> holds 8 vectors.
    /// </summary>
    public static void Outputs<T>(float* src, nint positionStride, float bias, float* stage, float* output)
        where T : struct, IWinogradLanes<T>
    {
        int n = T.Count;
        for (int j = 0; j < 4; j++)
        {
            float* m = src + j * positionStride;
            T m0 = T.Load(m), m1 = T.Load(m + 4 * positionStride), m2 = T.Load(m + 8 * positionStride), m3 = T.Load(m + 12 * positionStride);
            T.Store(m0 + m1 + m2, stage + j * n);
            T.Store(m1 - m2 - m3, stage + (4 + j) * n);
        }
        T b = T.Broadcast(bias);
        for (int i = 0; i < 2; i++)
        {
            float* t = stage + 4 * i * n;
            T t0 = T.Load(t), t1 = T.Load(t + n), t2 = T.Load(t + 2 * n), t3 = T.Load(t + 3 * n);
            T.Store(t0 + t1 + t2 + b, output + 2 * i * n);
            T.Store(t1 - t2 - t3 + b, output + (2 * i + 1) * n);
        }
    }

    /// <summary>The 1-D Bᵀ of four vectors: [x0 − x2, x1 + x2, x2 − x1, x1 − x3]. Every load precedes every store, so it may work in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputStep<T>(float* a, float* b, float* c, float* d, float* oa, float* ob, float* oc, float* od)
        where T : struct, IWinogradLanes<T>
    {
        T x0 = T.Load(a), x1 = T.Load(b), x2 = T.Load(c), x3 = T.Load(d);
        T.Store(x0 - x2, oa);
        T.Store(x1 + x2, ob);
        T.Store(x2 - x1, oc);
        T.Store(x1 - x3, od);
    }
}
