using System.Runtime.CompilerServices;

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
                for (int p = 0; p < kc; p++, src += lda, panel += mr)
                {
                    int r = 0;
                    for (; r < rows; r++) panel[r] = src[r];
                    for (; r < mr; r++) panel[r] = 0f;
                }
            }
            else
            {
                // op(A)(i,p) = a[i·lda + p]: walk each row once, scattering with stride MR.
                for (int r = 0; r < mr; r++)
                {
                    float* d = panel + r;
                    if (r < rows)
                    {
                        float* src = a + (nint)(i0 + ir + r) * lda + p0;
                        for (int p = 0; p < kc; p++) d[(nint)p * mr] = src[p];
                    }
                    else
                    {
                        for (int p = 0; p < kc; p++) d[(nint)p * mr] = 0f;
                    }
                }
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
                // op(B)(p,j) = b[j·ldb + p]: walk each stored row (a column of op(B)) once.
                for (int c = 0; c < nr; c++)
                {
                    float* d = panel + c;
                    if (c < cols)
                    {
                        float* src = b + (nint)(j0 + jr + c) * ldb + p0;
                        for (int p = 0; p < kc; p++) d[(nint)p * nr] = src[p];
                    }
                    else
                    {
                        for (int p = 0; p < kc; p++) d[(nint)p * nr] = 0f;
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRun(float* src, float* dst, int count) =>
        Buffer.MemoryCopy(src, dst, (long)count * sizeof(float), (long)count * sizeof(float));
}
