using System.Diagnostics;

namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// Times one burst of work on a given number of dedicated threads, started together. The ceilings probes use their
/// own threads rather than <see cref="Threads"/>, so measuring at 1 or N threads never changes the thread count the
/// kernels run with.
/// </summary>
internal static class ProbeThreads
{
    /// <summary>Wall-clock seconds from the common start until every <paramref name="body"/>(part) has returned.</summary>
    public static double Time(int threads, Action<int> body)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        // Threads park at the barrier first, so their start-up cost is not timed.
        using var start = new Barrier(threads + 1);
        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            int part = t;
            workers[t] = new Thread(() =>
            {
                start.SignalAndWait();
                body(part);
            }) { IsBackground = true, Name = $"ceilings probe {part}" };
            workers[t].Start();
        }
        start.SignalAndWait();
        long begin = Stopwatch.GetTimestamp();
        foreach (var w in workers) w.Join();
        return Stopwatch.GetElapsedTime(begin).TotalSeconds;
    }
}
