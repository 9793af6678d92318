namespace Tensorlet.Kernels.Cpu.Gemm;

/// <summary>
/// How a blocked GEMM is shared among threads: C is cut, in whole register tiles, along its rows or its columns, and
/// each thread packs its own blocks of A and B. A thread that takes a share of the columns packs only its share of B
/// but all of A; one that takes a share of the rows packs its share of A (again for every NC-column block) and all of B.
/// The columns are cut where they have more tiles than the rows, and also where C is at least as wide as it is tall and
/// its column tiles split at least as evenly as its row tiles, two or more per thread. Paired on two Zen 5 threads, the
/// column cut against the row cut: 2048³ +3–4%, 1024³ +1–2%, 512³ +1%, 256×1024 (k = 64) +8–15%, 144×1024 (k = 144)
/// +7–15%, 576×1024 (k = 64) +5–8%; level at 288×1024 (k = 32) and 160×192 (k = 1024). The rows stay cut where C is
/// taller than wide (4096×1024: rows +2–3%), where the column tiles split unevenly (1000³ with 48-column tiles, 21 of
/// them: rows +5–8%) and where there are too few (128×128, k = 1024, one 64-column tile each: rows +5–10%).
/// Threads never share a packed block: one core packing a block the other reads measured 1–9% slower there than each
/// packing its own. The choice depends on the shape and thread count only, so the bits do too.
/// </summary>
internal static class ThreadSplit
{
    /// <summary>Below this many multiply-adds per thread a second thread is not worth waking.</summary>
    public const long MinWorkPerThread = 64 * 64 * 64;

    /// <summary>
    /// Whether to cut C's columns (else its rows) and into how many parts, for an m×n C with depth k on at most
    /// <paramref name="threads"/> threads. One part means no cut.
    /// </summary>
    public static (bool SplitN, int Parts) Choose(GemmKernel kernel, int m, int n, int k, int threads)
    {
        int mTiles = (m + kernel.MR - 1) / kernel.MR, nTiles = (n + kernel.NR - 1) / kernel.NR;
        int most = (int)Math.Min(threads, Math.Max(1, (long)m * n * k / MinWorkPerThread));
        bool splitN = nTiles >= mTiles
                      || (n >= m && nTiles >= 2 * most && Evenness(nTiles, most) >= Evenness(mTiles, most));
        return (splitN, Math.Min(most, splitN ? nTiles : mTiles));
    }

    /// <summary>The fraction of the busiest part's tiles that the average part has: 1 when the tiles divide evenly.</summary>
    internal static double Evenness(int tiles, int parts)
    {
        parts = Math.Min(parts, tiles);
        return (double)tiles / (parts * ((tiles + parts - 1) / parts));
    }
}
