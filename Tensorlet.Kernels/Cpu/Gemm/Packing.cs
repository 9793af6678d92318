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
        if (transA)
        {
            PackATransposed(a + (nint)p0 * lda + i0, lda, mc, kc, mr, dst);
            return;
        }
        for (int ir = 0; ir < mc; ir += mr)
        {
            // op(A)(i,p) = a[i·lda + p]: k runs along memory rows, so interleave rows into the panel.
            int rows = Math.Min(mr, mc - ir);
            Transpose.Interleave(a + (nint)(i0 + ir) * lda + p0, lda, rows, mr, kc, dst + (nint)ir * kc, mr);
        }
    }

    /// <summary>
    /// op(A)(i,p) = a[p·lda + i]: each k step is a contiguous run of the block's rows. Walk k outermost so every
    /// source line is read once (walking panel by panel would re-read each line from L2 once per panel).
    /// </summary>
    private static void PackATransposed(float* src, nint lda, int mc, int kc, int mr, float* dst)
    {
        int fullPanels = mc / mr;
        // Eight-wide stores spill two floats into the next k step's slot, rewritten right after; so the last k
        // step, whose spill would land in the next panel, and the reads that could pass the end of the rows
        // (the final panel needs ir + 8 ≤ mc) are done exactly.
        bool wide = mr == 6 && Vector256.IsHardwareAccelerated;
        int widePanels = wide ? Math.Min(fullPanels, (mc - 8) / mr + 1) : 0;
        if (mc < 8) widePanels = 0;
        for (int p = 0; p < kc; p++, src += lda)
        {
            float* d = dst + (nint)p * mr;
            int panel = 0;
            if (p < kc - 1)
                for (; panel < widePanels; panel++)
                    Vector256.Store(Vector256.Load(src + panel * mr), d + (nint)panel * mr * kc);
            for (; panel * mr < mc; panel++)
            {
                float* s = src + panel * mr, o = d + (nint)panel * mr * kc;
                int rows = Math.Min(mr, mc - panel * mr), r = 0;
                for (; r < rows; r++) o[r] = s[r];
                for (; r < mr; r++) o[r] = 0f;
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

    /// <summary>
    /// One k step of a full panel (16 to 64 floats): inline vector copies, since a call to a general memory copy per
    /// 256 bytes cost about as much as the copy itself.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRun(float* src, float* dst, int count)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i + 16 <= count; i += 16) Vector512.Store(Vector512.Load(src + i), dst + i);
        else if (Vector256.IsHardwareAccelerated)
            for (; i + 8 <= count; i += 8) Vector256.Store(Vector256.Load(src + i), dst + i);
        for (; i < count; i++) dst[i] = src[i];
    }
}
