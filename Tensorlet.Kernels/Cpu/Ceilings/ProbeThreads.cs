using System.Diagnostics;

namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// Times one burst of work on a given number of dedicated threads, started together. The ceilings probes use their
/// own threads rather than <see cref="Threads"/>, so measuring at 1 or N threads never changes the thread count the
/// kernels run with.
/// </summary>
internal static class ProbeThreads
{
    /// <summary>Wall-clock seconds from the first part's start until the last part has returned.</summary>
    public static double Time(int threads, Action<int> body)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        // The threads meet at a spinning barrier, so their start-up is not timed and none starts a wake-up late (a
        // blocking barrier woke them up to 50 µs apart); each stamps its own start and end, since the caller's clock
        // would run late whenever the released probe threads took every core before it got one back.
        int ready = 0;
        var begins = new long[threads];
        var ends = new long[threads];
        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            int part = t;
            workers[t] = new Thread(() =>
            {
                Interlocked.Increment(ref ready);
                // SpinWait yields after a while: with more probe threads than cores, one still waiting to start needs one.
                var spinner = new SpinWait();
                while (Volatile.Read(ref ready) < threads) spinner.SpinOnce(sleep1Threshold: -1);
                begins[part] = Stopwatch.GetTimestamp();
                body(part);
                ends[part] = Stopwatch.GetTimestamp();
            }) { IsBackground = true, Name = $"ceilings probe {part}" };
            workers[t].Start();
        }
        foreach (var w in workers) w.Join();
        return (double)(ends.Max() - begins.Min()) / Stopwatch.Frequency;
    }
}
