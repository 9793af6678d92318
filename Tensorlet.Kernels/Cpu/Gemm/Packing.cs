using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Tensorlet.Kernels.Cpu.Gemm;

/// <summary>
/// Copies blocks of op(A) and op(B) into the layouts the micro-kernels read contiguously: A as MR-row
/// micro-panels (MR floats per k step), B as NR-column micro-panels (NR floats per k step). Rows or columns
/// past the matrix edge are zero, so the micro-kernel always runs a full tile and edge tiles need no special
/// arithmetic. Transposes are absorbed here, so the kernels see one layout only.
/// </summary>
internal static unsafe class Packing
{
    /// <summary>Packs op(A)[i0..i0+mc, p0..p0+kc] into ⌈mc/MR⌉ panels of MR×kc at <paramref name="dst"/>.</summary>
    public static void PackA(bool transA, float* a, nint lda, int i0, int mc, int p0, int kc, int mr, float* dst)
    {
        for (int ir = 0; ir < mc; ir += mr)
        {
            int rows = Math.Min(mr, mc - ir);
            float* panel = dst + (nint)ir * kc;
            if (transA)
            {
                // op(A)(i,p) = a[p·lda + i]: each k step is a contiguous run of rows.
                float* src = a + (nint)p0 * lda + i0 + ir;
                if (mr == 6 && ir + 8 <= mc && Vector256.IsHardwareAccelerated)
                {
                    // Eight-wide copies (the two extra floats land in the next k step's slot and are overwritten;
                    // the last one in the buffer's slack); ir + 8 ≤ mc keeps the read inside the row of m floats.
                    for (int p = 0; p < kc; p++, src += lda, panel += mr) Vector256.Store(Vector256.Load(src), panel);
                    continue;
                }
                for (int p = 0; p < kc; p++, src += lda, panel += mr)
                {
                    int r = 0;
                    for (; r < rows; r++) panel[r] = src[r];
                    for (; r < mr; r++) panel[r] = 0f;
                }
            }
            else
            {
                // op(A)(i,p) = a[i·lda + p]: k runs along memory rows, so interleave rows into the panel.
                Transpose.Interleave(a + (nint)(i0 + ir) * lda + p0, lda, rows, mr, kc, panel, mr);
            }
        }
    }

    /// <summary>Packs op(B)[p0..p0+kc, j0..j0+nc] into ⌈nc/NR⌉ panels of kc×NR at <paramref name="dst"/>.</summary>
    public static void PackB(bool transB, float* b, nint ldb, int p0, int kc, int j0, int nc, int nr, float* dst)
    {
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            float* panel = dst + (nint)jr * kc;
            if (!transB)
            {
                // op(B)(p,j) = b[p·ldb + j]: each k step is a contiguous run of columns.
                float* src = b + (nint)p0 * ldb + j0 + jr;
                if (cols == nr)
                {
                    for (int p = 0; p < kc; p++, src += ldb, panel += nr) CopyRun(src, panel, nr);
                }
                else
                {
                    for (int p = 0; p < kc; p++, src += ldb, panel += nr)
                    {
                        int c = 0;
                        for (; c < cols; c++) panel[c] = src[c];
                        for (; c < nr; c++) panel[c] = 0f;
                    }
                }
            }
            else
            {
                // op(B)(p,j) = b[j·ldb + p]: each stored row is a column of op(B); interleave them.
                Transpose.Interleave(b + (nint)(j0 + jr) * ldb + p0, ldb, cols, nr, kc, panel, nr);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRun(float* src, float* dst, int count) =>
        Buffer.MemoryCopy(src, dst, (long)count * sizeof(float), (long)count * sizeof(float));
}
