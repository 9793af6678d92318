using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tensorlet.Kernels.Cpu.Gemm;

/// <summary>
/// Strided-to-interleaved copies for packing the operands whose k direction runs along memory rows
/// (untransposed A, transposed B): <c>dst[p·stride + r] = src[r·ld + p]</c> for r &lt; rows, 0 for rows ≤ r &lt; width.
/// Done as 8×8 register transposes on AVX, which turns eight strided scalar stores per element into one vector
/// store per eight, the difference between packing costing ~10% of a GEMM and ~1%.
/// </summary>
internal static unsafe class Transpose
{
    /// <summary>
    /// Interleaves <paramref name="rows"/> (≤ <paramref name="width"/>) source rows of <paramref name="kc"/> floats into
    /// <paramref name="width"/>-wide groups <paramref name="stride"/> apart. May write up to 8 − (width mod 8) floats
    /// past each group (the next group's slot, rewritten right after; after the last group, the buffer's slack).
    /// </summary>
    public static void Interleave(float* src, nint ld, int rows, int width, int kc, float* dst, int stride)
    {
        int p = 0;
        if (Avx.IsSupported)
        {
            // Last group of eight first: when width is not a multiple of 8 its stores spill into the next k step's
            // first columns, which the earlier groups then overwrite with the right values.
            for (int r0 = (width - 1) / 8 * 8; r0 >= 0; r0 -= 8)
            {
                int valid = Math.Min(8, rows - r0);
                float* s = src + r0 * ld;
                for (p = 0; p + 8 <= kc; p += 8)
                {
                    Vector256<float> x0 = Row(s, ld, 0, valid, p), x1 = Row(s, ld, 1, valid, p);
                    Vector256<float> x2 = Row(s, ld, 2, valid, p), x3 = Row(s, ld, 3, valid, p);
                    Vector256<float> x4 = Row(s, ld, 4, valid, p), x5 = Row(s, ld, 5, valid, p);
                    Vector256<float> x6 = Row(s, ld, 6, valid, p), x7 = Row(s, ld, 7, valid, p);
                    Transpose8x8(ref x0, ref x1, ref x2, ref x3, ref x4, ref x5, ref x6, ref x7);
                    float* d = dst + (nint)p * stride + r0;
                    Vector256.Store(x0, d); Vector256.Store(x1, d + stride);
                    Vector256.Store(x2, d + 2 * stride); Vector256.Store(x3, d + 3 * stride);
                    Vector256.Store(x4, d + 4 * stride); Vector256.Store(x5, d + 5 * stride);
                    Vector256.Store(x6, d + 6 * stride); Vector256.Store(x7, d + 7 * stride);
                }
            }
        }
        // The k remainder (or everything, without AVX), element by element.
        for (; p < kc; p++)
        {
            float* d = dst + (nint)p * stride;
            int r = 0;
            for (; r < rows; r++) d[r] = src[r * ld + p];
            for (; r < width; r++) d[r] = 0f;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Row(float* s, nint ld, int r, int valid, int p) =>
        r < valid ? Vector256.Load(s + r * ld + p) : Vector256<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(ref Vector256<float> r0, ref Vector256<float> r1, ref Vector256<float> r2,
                                     ref Vector256<float> r3, ref Vector256<float> r4, ref Vector256<float> r5,
                                     ref Vector256<float> r6, ref Vector256<float> r7)
    {
        // Pairs within 128-bit lanes, then quads, then swap lane halves.
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44), s5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> s6 = Avx.Shuffle(t5, t7, 0x44), s7 = Avx.Shuffle(t5, t7, 0xEE);
        r0 = Avx.Permute2x128(s0, s4, 0x20); r1 = Avx.Permute2x128(s1, s5, 0x20);
        r2 = Avx.Permute2x128(s2, s6, 0x20); r3 = Avx.Permute2x128(s3, s7, 0x20);
        r4 = Avx.Permute2x128(s0, s4, 0x31); r5 = Avx.Permute2x128(s1, s5, 0x31);
        r6 = Avx.Permute2x128(s2, s6, 0x31); r7 = Avx.Permute2x128(s3, s7, 0x31);
    }
}
