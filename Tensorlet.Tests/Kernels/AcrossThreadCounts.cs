namespace Tensorlet.Tests.Kernels;

/// <summary>Runs one CPU computation at several thread counts, restoring <see cref="Threads.Count"/> afterwards.</summary>
internal static class AcrossThreadCounts
{
    /// <summary>The results of <paramref name="compute"/> at 1, 2 and 3 threads, in that order.</summary>
    public static List<float[]> Run(Func<float[]> compute) => Run(compute, 1, 2, 3);

    /// <summary>The results of <paramref name="compute"/> at each of <paramref name="counts"/>, in that order.</summary>
    public static List<float[]> Run(Func<float[]> compute, params int[] counts)
    {
        var results = new List<float[]>();
        int saved = Threads.Count;
        try
        {
            foreach (int threads in counts)
            {
                Threads.Count = threads;
                results.Add(compute());
            }
        }
        finally { Threads.Count = saved; }
        return results;
    }

    /// <summary>Asserts every result has the first one's bits: the static split must not change the arithmetic.</summary>
    public static void AssertSameBits(IReadOnlyList<float[]> results)
    {
        for (int i = 1; i < results.Count; i++) Assert.That(results[i], Is.EqualTo(results[0]), $"result {i} differs from result 0");
    }
}
