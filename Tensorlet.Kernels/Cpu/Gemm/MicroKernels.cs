using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tensorlet.Kernels.Cpu.Gemm;

/// <summary>
/// Register-tiled micro-kernels: each computes one MR×NR tile of C from a packed A micro-panel (MR floats per
/// k step) and a packed B micro-panel (NR floats per k step), keeping the whole tile in vector registers for the
/// entire k loop. The write-back is C = α·acc + β·C, with β = 0 never reading C (so NaNs there vanish) and
/// β = 1 the accumulate used by every k block after the first. The scalar edge-tile merge in
/// <see cref="BlockedGemm"/> uses the same fused operations, so a C element gets the same bits whether it sits in
/// a full tile or an edge tile, and hence whatever the thread partition.
/// </summary>
internal static unsafe class MicroKernels
{
    /// <summary>
    /// 8×48 on 512-bit FMA: 24 accumulators, 3 B loads and 8 broadcasts per k step. Two 512-bit FMA pipes of
    /// latency 4 need 8 independent chains to stay busy; 24 leave room for load latency, and the 28 live zmm
    /// registers stay clear of spills.
    /// </summary>
    [SkipLocalsInit]
    public static void Avx512x8x48(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta) =>
        Tile8x48(kc, a, 1, 8, b, c, ldc, alpha, beta);

    /// <summary><see cref="Avx512x8x48"/> reading A where it lies: 8 rows <paramref name="lda"/> apart, k along each row.</summary>
    [SkipLocalsInit]
    public static void Avx512x8x48Rows(int kc, float* a, nint lda, float* b, float* c, nint ldc, float alpha, float beta) =>
        Tile8x48(kc, a, lda, 1, b, c, ldc, alpha, beta);

    /// <summary>
    /// The 8×48 tile with A's element (r, p) at a[r·rowStride + p·kStride]: a packed micro-panel (1, 8) or A's own rows
    /// (lda, 1). Inlined into both, so each compiles with its strides as constants or registers; the same FMAs in the same
    /// order either way, so the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile8x48(int kc, float* a, nint rowStride, nint kStride, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector512<float> c00 = default, c01 = default, c02 = default, c10 = default, c11 = default, c12 = default;
        Vector512<float> c20 = default, c21 = default, c22 = default, c30 = default, c31 = default, c32 = default;
        Vector512<float> c40 = default, c41 = default, c42 = default, c50 = default, c51 = default, c52 = default;
        Vector512<float> c60 = default, c61 = default, c62 = default, c70 = default, c71 = default, c72 = default;
        PrefetchTile(c, ldc, 8, 3);
        float* a0 = a, a1 = a + rowStride, a2 = a + 2 * rowStride, a3 = a + 3 * rowStride;
        float* a4 = a + 4 * rowStride, a5 = a + 5 * rowStride, a6 = a + 6 * rowStride, a7 = a + 7 * rowStride;
        nint q = 0;
        for (int p = 0; p < kc; p++, q += kStride)
        {
            Vector512<float> b0 = Vector512.Load(b), b1 = Vector512.Load(b + 16), b2 = Vector512.Load(b + 32);
            Vector512<float> x;
            x = Vector512.Create(a0[q]);
            c00 = Vector512.FusedMultiplyAdd(x, b0, c00); c01 = Vector512.FusedMultiplyAdd(x, b1, c01); c02 = Vector512.FusedMultiplyAdd(x, b2, c02);
            x = Vector512.Create(a1[q]);
            c10 = Vector512.FusedMultiplyAdd(x, b0, c10); c11 = Vector512.FusedMultiplyAdd(x, b1, c11); c12 = Vector512.FusedMultiplyAdd(x, b2, c12);
            x = Vector512.Create(a2[q]);
            c20 = Vector512.FusedMultiplyAdd(x, b0, c20); c21 = Vector512.FusedMultiplyAdd(x, b1, c21); c22 = Vector512.FusedMultiplyAdd(x, b2, c22);
            x = Vector512.Create(a3[q]);
            c30 = Vector512.FusedMultiplyAdd(x, b0, c30); c31 = Vector512.FusedMultiplyAdd(x, b1, c31); c32 = Vector512.FusedMultiplyAdd(x, b2, c32);
            x = Vector512.Create(a4[q]);
            c40 = Vector512.FusedMultiplyAdd(x, b0, c40); c41 = Vector512.FusedMultiplyAdd(x, b1, c41); c42 = Vector512.FusedMultiplyAdd(x, b2, c42);
            x = Vector512.Create(a5[q]);
            c50 = Vector512.FusedMultiplyAdd(x, b0, c50); c51 = Vector512.FusedMultiplyAdd(x, b1, c51); c52 = Vector512.FusedMultiplyAdd(x, b2, c52);
            x = Vector512.Create(a6[q]);
            c60 = Vector512.FusedMultiplyAdd(x, b0, c60); c61 = Vector512.FusedMultiplyAdd(x, b1, c61); c62 = Vector512.FusedMultiplyAdd(x, b2, c62);
            x = Vector512.Create(a7[q]);
            c70 = Vector512.FusedMultiplyAdd(x, b0, c70); c71 = Vector512.FusedMultiplyAdd(x, b1, c71); c72 = Vector512.FusedMultiplyAdd(x, b2, c72);
            b += 48;
        }
        Store(c, c00, alpha, beta); Store(c + 16, c01, alpha, beta); Store(c + 32, c02, alpha, beta); c += ldc;
        Store(c, c10, alpha, beta); Store(c + 16, c11, alpha, beta); Store(c + 32, c12, alpha, beta); c += ldc;
        Store(c, c20, alpha, beta); Store(c + 16, c21, alpha, beta); Store(c + 32, c22, alpha, beta); c += ldc;
        Store(c, c30, alpha, beta); Store(c + 16, c31, alpha, beta); Store(c + 32, c32, alpha, beta); c += ldc;
        Store(c, c40, alpha, beta); Store(c + 16, c41, alpha, beta); Store(c + 32, c42, alpha, beta); c += ldc;
        Store(c, c50, alpha, beta); Store(c + 16, c51, alpha, beta); Store(c + 32, c52, alpha, beta); c += ldc;
        Store(c, c60, alpha, beta); Store(c + 16, c61, alpha, beta); Store(c + 32, c62, alpha, beta); c += ldc;
        Store(c, c70, alpha, beta); Store(c + 16, c71, alpha, beta); Store(c + 32, c72, alpha, beta);
    }

    /// <summary>
    /// 6×64 on 512-bit FMA: 24 accumulators like <see cref="Avx512x8x48"/>, with 4 B loads and 6 broadcasts per k step.
    /// A 64-column tile divides every power-of-two width from 64 up, where 48 columns pad 1024 to 1056 (3% of the FMAs
    /// wasted) and 256 to 288 (12%); 6 rows pad at most 5, under 1% of a 1024-row C.
    /// </summary>
    [SkipLocalsInit]
    public static void Avx512x6x64(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta) =>
        Tile6x64(kc, a, 1, 6, b, c, ldc, alpha, beta);

    /// <summary><see cref="Avx512x6x64"/> reading A where it lies: 6 rows <paramref name="lda"/> apart, k along each row.</summary>
    [SkipLocalsInit]
    public static void Avx512x6x64Rows(int kc, float* a, nint lda, float* b, float* c, nint ldc, float alpha, float beta) =>
        Tile6x64(kc, a, lda, 1, b, c, ldc, alpha, beta);

    /// <summary>The 6×64 tile with A's element (r, p) at a[r·rowStride + p·kStride], as for the 8×48 tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile6x64(int kc, float* a, nint rowStride, nint kStride, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector512<float> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector512<float> c20 = default, c21 = default, c22 = default, c23 = default;
        Vector512<float> c30 = default, c31 = default, c32 = default, c33 = default;
        Vector512<float> c40 = default, c41 = default, c42 = default, c43 = default;
        Vector512<float> c50 = default, c51 = default, c52 = default, c53 = default;
        PrefetchTile(c, ldc, 6, 4);
        float* a0 = a, a1 = a + rowStride, a2 = a + 2 * rowStride, a3 = a + 3 * rowStride, a4 = a + 4 * rowStride, a5 = a + 5 * rowStride;
        nint q = 0;
        for (int p = 0; p < kc; p++, q += kStride)
        {
            Vector512<float> b0 = Vector512.Load(b), b1 = Vector512.Load(b + 16);
            Vector512<float> b2 = Vector512.Load(b + 32), b3 = Vector512.Load(b + 48);
            Vector512<float> x;
            x = Vector512.Create(a0[q]);
            c00 = Vector512.FusedMultiplyAdd(x, b0, c00); c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
            c02 = Vector512.FusedMultiplyAdd(x, b2, c02); c03 = Vector512.FusedMultiplyAdd(x, b3, c03);
            x = Vector512.Create(a1[q]);
            c10 = Vector512.FusedMultiplyAdd(x, b0, c10); c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
            c12 = Vector512.FusedMultiplyAdd(x, b2, c12); c13 = Vector512.FusedMultiplyAdd(x, b3, c13);
            x = Vector512.Create(a2[q]);
            c20 = Vector512.FusedMultiplyAdd(x, b0, c20); c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
            c22 = Vector512.FusedMultiplyAdd(x, b2, c22); c23 = Vector512.FusedMultiplyAdd(x, b3, c23);
            x = Vector512.Create(a3[q]);
            c30 = Vector512.FusedMultiplyAdd(x, b0, c30); c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
            c32 = Vector512.FusedMultiplyAdd(x, b2, c32); c33 = Vector512.FusedMultiplyAdd(x, b3, c33);
            x = Vector512.Create(a4[q]);
            c40 = Vector512.FusedMultiplyAdd(x, b0, c40); c41 = Vector512.FusedMultiplyAdd(x, b1, c41);
            c42 = Vector512.FusedMultiplyAdd(x, b2, c42); c43 = Vector512.FusedMultiplyAdd(x, b3, c43);
            x = Vector512.Create(a5[q]);
            c50 = Vector512.FusedMultiplyAdd(x, b0, c50); c51 = Vector512.FusedMultiplyAdd(x, b1, c51);
            c52 = Vector512.FusedMultiplyAdd(x, b2, c52); c53 = Vector512.FusedMultiplyAdd(x, b3, c53);
            b += 64;
        }
        Store(c, c00, alpha, beta); Store(c + 16, c01, alpha, beta); Store(c + 32, c02, alpha, beta); Store(c + 48, c03, alpha, beta); c += ldc;
        Store(c, c10, alpha, beta); Store(c + 16, c11, alpha, beta); Store(c + 32, c12, alpha, beta); Store(c + 48, c13, alpha, beta); c += ldc;
        Store(c, c20, alpha, beta); Store(c + 16, c21, alpha, beta); Store(c + 32, c22, alpha, beta); Store(c + 48, c23, alpha, beta); c += ldc;
        Store(c, c30, alpha, beta); Store(c + 16, c31, alpha, beta); Store(c + 32, c32, alpha, beta); Store(c + 48, c33, alpha, beta); c += ldc;
        Store(c, c40, alpha, beta); Store(c + 16, c41, alpha, beta); Store(c + 32, c42, alpha, beta); Store(c + 48, c43, alpha, beta); c += ldc;
        Store(c, c50, alpha, beta); Store(c + 16, c51, alpha, beta); Store(c + 32, c52, alpha, beta); Store(c + 48, c53, alpha, beta);
    }

    /// <summary>
    /// 12×32 on 512-bit FMA: 24 accumulators like <see cref="Avx512x8x48"/>, but 2 B loads and 12 broadcasts per
    /// k step. Used where C has few columns (the weight gradient of a convolution with few input channels, a
    /// classifier's logits), since 32-column tiles waste less of a narrow C than 48-column ones.
    /// </summary>
    [SkipLocalsInit]
    public static void Avx512x12x32(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector512<float> c000 = default, c001 = default, c010 = default, c011 = default, c020 = default, c021 = default;
        Vector512<float> c030 = default, c031 = default, c040 = default, c041 = default, c050 = default, c051 = default;
        Vector512<float> c060 = default, c061 = default, c070 = default, c071 = default, c080 = default, c081 = default;
        Vector512<float> c090 = default, c091 = default, c100 = default, c101 = default, c110 = default, c111 = default;
        PrefetchTile(c, ldc, 12, 2);
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b), b1 = Vector512.Load(b + 16);
            Vector512<float> x;
            x = Vector512.Create(a[0]);
            c000 = Vector512.FusedMultiplyAdd(x, b0, c000); c001 = Vector512.FusedMultiplyAdd(x, b1, c001);
            x = Vector512.Create(a[1]);
            c010 = Vector512.FusedMultiplyAdd(x, b0, c010); c011 = Vector512.FusedMultiplyAdd(x, b1, c011);
            x = Vector512.Create(a[2]);
            c020 = Vector512.FusedMultiplyAdd(x, b0, c020); c021 = Vector512.FusedMultiplyAdd(x, b1, c021);
            x = Vector512.Create(a[3]);
            c030 = Vector512.FusedMultiplyAdd(x, b0, c030); c031 = Vector512.FusedMultiplyAdd(x, b1, c031);
            x = Vector512.Create(a[4]);
            c040 = Vector512.FusedMultiplyAdd(x, b0, c040); c041 = Vector512.FusedMultiplyAdd(x, b1, c041);
            x = Vector512.Create(a[5]);
            c050 = Vector512.FusedMultiplyAdd(x, b0, c050); c051 = Vector512.FusedMultiplyAdd(x, b1, c051);
            x = Vector512.Create(a[6]);
            c060 = Vector512.FusedMultiplyAdd(x, b0, c060); c061 = Vector512.FusedMultiplyAdd(x, b1, c061);
            x = Vector512.Create(a[7]);
            c070 = Vector512.FusedMultiplyAdd(x, b0, c070); c071 = Vector512.FusedMultiplyAdd(x, b1, c071);
            x = Vector512.Create(a[8]);
            c080 = Vector512.FusedMultiplyAdd(x, b0, c080); c081 = Vector512.FusedMultiplyAdd(x, b1, c081);
            x = Vector512.Create(a[9]);
            c090 = Vector512.FusedMultiplyAdd(x, b0, c090); c091 = Vector512.FusedMultiplyAdd(x, b1, c091);
            x = Vector512.Create(a[10]);
            c100 = Vector512.FusedMultiplyAdd(x, b0, c100); c101 = Vector512.FusedMultiplyAdd(x, b1, c101);
            x = Vector512.Create(a[11]);
            c110 = Vector512.FusedMultiplyAdd(x, b0, c110); c111 = Vector512.FusedMultiplyAdd(x, b1, c111);
            a += 12;
            b += 32;
        }
        Store(c, c000, alpha, beta); Store(c + 16, c001, alpha, beta); c += ldc;
        Store(c, c010, alpha, beta); Store(c + 16, c011, alpha, beta); c += ldc;
        Store(c, c020, alpha, beta); Store(c + 16, c021, alpha, beta); c += ldc;
        Store(c, c030, alpha, beta); Store(c + 16, c031, alpha, beta); c += ldc;
        Store(c, c040, alpha, beta); Store(c + 16, c041, alpha, beta); c += ldc;
        Store(c, c050, alpha, beta); Store(c + 16, c051, alpha, beta); c += ldc;
        Store(c, c060, alpha, beta); Store(c + 16, c061, alpha, beta); c += ldc;
        Store(c, c070, alpha, beta); Store(c + 16, c071, alpha, beta); c += ldc;
        Store(c, c080, alpha, beta); Store(c + 16, c081, alpha, beta); c += ldc;
        Store(c, c090, alpha, beta); Store(c + 16, c091, alpha, beta); c += ldc;
        Store(c, c100, alpha, beta); Store(c + 16, c101, alpha, beta); c += ldc;
        Store(c, c110, alpha, beta); Store(c + 16, c111, alpha, beta);
    }

    /// <summary>6×16 on 256-bit FMA (AVX2): the same shape as the 512-bit kernel at half the width.</summary>
    [SkipLocalsInit]
    public static void Avx2x6x16(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        PrefetchTile(c, ldc, 6, 1);
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b), b1 = Vector256.Load(b + 8);
            Vector256<float> x = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(x, b0, c00); c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
            x = Vector256.Create(a[1]);
            c10 = Vector256.FusedMultiplyAdd(x, b0, c10); c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
            x = Vector256.Create(a[2]);
            c20 = Vector256.FusedMultiplyAdd(x, b0, c20); c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
            x = Vector256.Create(a[3]);
            c30 = Vector256.FusedMultiplyAdd(x, b0, c30); c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
            x = Vector256.Create(a[4]);
            c40 = Vector256.FusedMultiplyAdd(x, b0, c40); c41 = Vector256.FusedMultiplyAdd(x, b1, c41);
            x = Vector256.Create(a[5]);
            c50 = Vector256.FusedMultiplyAdd(x, b0, c50); c51 = Vector256.FusedMultiplyAdd(x, b1, c51);
            a += 6;
            b += 16;
        }
        Store(c, c00, alpha, beta); Store(c + 8, c01, alpha, beta); c += ldc;
        Store(c, c10, alpha, beta); Store(c + 8, c11, alpha, beta); c += ldc;
        Store(c, c20, alpha, beta); Store(c + 8, c21, alpha, beta); c += ldc;
        Store(c, c30, alpha, beta); Store(c + 8, c31, alpha, beta); c += ldc;
        Store(c, c40, alpha, beta); Store(c + 8, c41, alpha, beta); c += ldc;
        Store(c, c50, alpha, beta); Store(c + 8, c51, alpha, beta);
    }

    /// <summary>
    /// 4×(2·Vector&lt;float&gt;.Count) for hardware without AVX2 (or none at all, where Vector&lt;float&gt; is emulated).
    /// Multiply and add are separate here because Vector&lt;T&gt; has no fused form; the write-back matches.
    /// </summary>
    [SkipLocalsInit]
    public static void Portable4xV2(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        int w = Vector<float>.Count;
        Vector<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector<float> c20 = default, c21 = default, c30 = default, c31 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector<float> b0 = Vector.Load(b), b1 = Vector.Load(b + w);
            Vector<float> x = new(a[0]);
            c00 += x * b0; c01 += x * b1;
            x = new(a[1]);
            c10 += x * b0; c11 += x * b1;
            x = new(a[2]);
            c20 += x * b0; c21 += x * b1;
            x = new(a[3]);
            c30 += x * b0; c31 += x * b1;
            a += 4;
            b += 2 * w;
        }
        StorePortable(c, c00, alpha, beta); StorePortable(c + w, c01, alpha, beta); c += ldc;
        StorePortable(c, c10, alpha, beta); StorePortable(c + w, c11, alpha, beta); c += ldc;
        StorePortable(c, c20, alpha, beta); StorePortable(c + w, c21, alpha, beta); c += ldc;
        StorePortable(c, c30, alpha, beta); StorePortable(c + w, c31, alpha, beta);
    }

    /// <summary>
    /// Starts fetching the C tile now so its cache misses overlap the k loop instead of stalling the write-back
    /// (C is touched once per KC slice and is usually far from L1 by then).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchTile(float* c, nint ldc, int rows, int lines)
    {
        if (!Sse.IsSupported) return;
        for (int r = 0; r < rows; r++, c += ldc)
        {
            for (int line = 0; line < lines; line++) Sse.Prefetch0(c + 16 * line);
            Sse.Prefetch0(c + 16 * lines - 1);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector512<float> acc, float alpha, float beta)
    {
        if (beta == 0) Vector512.Store(acc * alpha, c);
        else if (beta == 1) Vector512.Store(Vector512.FusedMultiplyAdd(acc, Vector512.Create(alpha), Vector512.Load(c)), c);
        else Vector512.Store(Vector512.FusedMultiplyAdd(acc, Vector512.Create(alpha), Vector512.Load(c) * beta), c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector256<float> acc, float alpha, float beta)
    {
        if (beta == 0) Vector256.Store(acc * alpha, c);
        else if (beta == 1) Vector256.Store(Vector256.FusedMultiplyAdd(acc, Vector256.Create(alpha), Vector256.Load(c)), c);
        else Vector256.Store(Vector256.FusedMultiplyAdd(acc, Vector256.Create(alpha), Vector256.Load(c) * beta), c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePortable(float* c, Vector<float> acc, float alpha, float beta)
    {
        if (beta == 0) Vector.Store(acc * alpha, c);
        else if (beta == 1) Vector.Store(acc * alpha + Vector.Load(c), c);
        else Vector.Store(acc * alpha + Vector.Load(c) * beta, c);
    }
}
