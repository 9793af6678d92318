using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// Times one burst of work on a given number of dedicated threads, started together. The ceilings probes use their
/// own threads rather than <see cref="Threads"/>, so measuring at 1 or N threads never changes the thread count the
/// kernels run with. The threads are made once and kept (a crew that grows to the largest count asked for): a typical
/// rate is the median of some 200 bursts, and starting two fresh threads for each cost 400 thread starts per probe.
/// </summary>
internal static class ProbeThreads
{
    private static readonly object Gate = new();
    private static readonly List<Member> Crew = [];

    /// <summary>Wall-clock seconds from the first part's start until the last part has returned.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is below 1.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is null.</exception>
    /// <remarks>Calls are serialised: two bursts timed at once would each measure the other's load.</remarks>
    public static double Time(int threads, Action<int> body)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentNullException.ThrowIfNull(body);
        lock (Gate)
        {
            while (Crew.Count < threads) Crew.Add(new Member(Crew.Count));
            var burst = new Burst(threads, body);
            for (int t = 0; t < threads; t++) Crew[t].Start(burst);
            burst.Done.Wait();
            burst.Done.Dispose();
            if (burst.Error is { } error) ExceptionDispatchInfo.Capture(error).Throw();
            return (double)(burst.Ends.Max() - burst.Begins.Min()) / Stopwatch.Frequency;
        }
    }

    /// <summary>How many crew threads exist (for tests: bursts reuse them).</summary>
    internal static int CrewSize
    {
        get { lock (Gate) return Crew.Count; }
    }

    private sealed class Burst(int threads, Action<int> body)
    {
        public readonly int Threads = threads;
        public readonly Action<int> Body = body;
        public readonly long[] Begins = new long[threads];
        public readonly long[] Ends = new long[threads];
        public readonly ManualResetEventSlim Done = new(false);
        public int Ready, Remaining = threads;
        public Exception? Error;
    }

    private sealed class Member
    {
        private readonly SemaphoreSlim _wake = new(0);
        private readonly int _part;
        private Burst? _burst;

        public Member(int part)
        {
            _part = part;
            new Thread(Loop) { IsBackground = true, Name = $"ceilings probe {part}" }.Start();
        }

        public void Start(Burst burst)
        {
            Volatile.Write(ref _burst, burst);
            _wake.Release();
        }

        private void Loop()
        {
            while (true)
            {
                _wake.Wait();
                var burst = Volatile.Read(ref _burst)!;
                // The parts meet at a spinning barrier, so their wake-ups are not timed and none starts late (a blocking
                // barrier let them start up to 50 µs apart); each stamps its own start and end, since the caller's clock
                // would run late whenever the released parts took every core before it got one back. SpinWait yields
                // after a while: with more parts than cores, one still waiting to wake needs one.
                Interlocked.Increment(ref burst.Ready);
                var spinner = new SpinWait();
                while (Volatile.Read(ref burst.Ready) < burst.Threads) spinner.SpinOnce(sleep1Threshold: -1);
                burst.Begins[_part] = Stopwatch.GetTimestamp();
                try { burst.Body(_part); }
                catch (Exception ex) { Interlocked.CompareExchange(ref burst.Error, ex, null); }
                burst.Ends[_part] = Stopwatch.GetTimestamp();
                if (Interlocked.Decrement(ref burst.Remaining) == 0) burst.Done.Set();
            }
        }
    }
}
