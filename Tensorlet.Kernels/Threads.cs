using System.Runtime.CompilerServices;

namespace Tensorlet;

/// <summary>
/// The CPU worker threads every kernel shares. Work is split statically into <see cref="Count"/> parts
/// (part i always gets the same range), so results do not depend on scheduling: same thread count,
/// same bits. The calling thread runs part 0; persistent workers run the rest, so a parallel call
/// costs a wake-up, not a thread-pool round trip.
/// </summary>
public static class Threads
{
    private static int _count = Environment.ProcessorCount;
    private static WorkerGroup? _group;
    private static readonly object Gate = new();

    /// <summary>Number of threads CPU kernels use (default: all cores). Settable at any time between kernel calls.</summary>
    public static int Count
    {
        get => _count;
        set
        {
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(value), value, "Threads.Count must be at least 1.");
            lock (Gate)
            {
                if (value == _count) return;
                _group?.Dispose();
                _group = null;
                _count = value;
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/>(part) for part = 0..parts-1 in parallel and returns when all are done.
    /// Nested calls (from inside a part) run serially on the calling thread.
    /// </summary>
    public static void Run(int parts, Action<int> body)
    {
        if (parts <= 1 || _count <= 1 || WorkerGroup.InsideWorker)
        {
            for (int p = 0; p < parts; p++) body(p);
            return;
        }
        WorkerGroup group;
        lock (Gate) group = _group ??= new WorkerGroup(_count - 1);
        group.Run(parts, body);
    }

    /// <summary>
    /// Splits [0, n) into at most <see cref="Count"/> contiguous ranges of at least <paramref name="minPerPart"/>
    /// items and runs <paramref name="body"/>(start, end) on each.
    /// </summary>
    public static void For(int n, int minPerPart, Action<int, int> body)
    {
        int parts = PartsFor(n, minPerPart);
        if (parts <= 1)
        {
            if (n > 0) body(0, n);
            return;
        }
        Run(parts, p =>
        {
            var (s, e) = Range(n, parts, p);
            if (s < e) body(s, e);
        });
    }

    /// <summary>How many parts <see cref="For"/> would use for <paramref name="n"/> items.</summary>
    public static int PartsFor(int n, int minPerPart)
    {
        if (n <= 0) return 0;
        long byWork = Math.Max(1, n / Math.Max(1, minPerPart));
        return (int)Math.Min(_count, byWork);
    }

    /// <summary>The static range of part <paramref name="p"/> of <paramref name="parts"/> over [0, n).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (int Start, int End) Range(int n, int parts, int p)
    {
        long s = (long)n * p / parts, e = (long)n * (p + 1) / parts;
        return ((int)s, (int)e);
    }

    /// <summary>
    /// Persistent workers; one job at a time (callers are serialised by a lock). Between jobs a worker spins for up to
    /// <see cref="SpinTicks"/> before it blocks, as OpenMP runtimes do: a model runs hundreds of short parallel kernels
    /// with a little serial work between them, and waking a blocked thread costs 15–50 µs on this VM (measured: a
    /// 500 µs kernel after 200 µs of serial work started its second part 46 µs late), more than many kernels take.
    /// A worker never spins when there are more threads than processors, where it would steal a core from real work.
    /// </summary>
    private sealed class WorkerGroup : IDisposable
    {
        [ThreadStatic] private static bool _insideWorker;
        public static bool InsideWorker => _insideWorker;

        /// <summary>How long an idle worker polls for the next job before it blocks: 1 ms.</summary>
        private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 1000;

        private readonly Thread[] _threads;
        private readonly SemaphoreSlim[] _wake;
        private readonly int[] _sleeping;
        private readonly bool _spin;
        private readonly object _jobLock = new();
        private Action<int>? _body;
        private int _parts;
        private int _next;
        private int _pending;
        // The job number (upper bits) and how many workers it needs (lower 16 bits), read and written as one word so
        // a worker never pairs one job's number with another's helper count.
        private long _job;
        private Exception? _error;
        private volatile bool _stopping;

        public WorkerGroup(int workers)
        {
            _threads = new Thread[workers];
            _wake = new SemaphoreSlim[workers];
            _sleeping = new int[workers];
            _spin = workers + 1 <= Environment.ProcessorCount;
            for (int i = 0; i < workers; i++)
            {
                _wake[i] = new SemaphoreSlim(0);
                int id = i;
                _threads[i] = new Thread(() => Loop(id)) { IsBackground = true, Name = $"tensorlet-worker-{i + 1}" };
                _threads[i].Start();
            }
        }

        public void Run(int parts, Action<int> body)
        {
            lock (_jobLock)
            {
                // Threads.Count changed between the caller taking this group and this job: its workers have stopped, so
                // the caller runs the parts itself (the same parts, so the same results).
                if (_stopping)
                {
                    for (int p = 0; p < parts; p++) body(p);
                    return;
                }
                _body = body;
                _parts = parts;
                _error = null;
                _next = 0;
                int helpers = Math.Min(_threads.Length, parts - 1);
                _pending = helpers + 1;
                Interlocked.Exchange(ref _job, ((_job >> 16) + 1) << 16 | (long)helpers);
                for (int i = 0; i < helpers; i++)
                    if (Interlocked.Exchange(ref _sleeping[i], 0) == 1) _wake[i].Release();
                _insideWorker = true;
                try { Work(); }
                finally { _insideWorker = false; }
                if (Interlocked.Decrement(ref _pending) != 0)
                {
                    var spinner = new SpinWait();
                    while (Volatile.Read(ref _pending) != 0) spinner.SpinOnce(sleep1Threshold: -1);
                }
                _body = null;
                if (_error != null) throw new AggregateException("A parallel kernel part failed.", _error);
            }
        }

        // Parts are claimed in order; which thread runs a part does not change its range, so results stay deterministic.
        private void Work()
        {
            int p;
            while ((p = Interlocked.Increment(ref _next) - 1) < _parts)
            {
                try { _body!(p); }
                catch (Exception ex) { _error ??= ex; }
            }
        }

        private void Loop(int id)
        {
            _insideWorker = true;
            long seen = 0;
            while (true)
            {
                long job = WaitForJob(id, seen);
                seen = job >> 16;
                if (_stopping) return;
                if (id >= (int)(job & 0xFFFF)) continue; // not needed for this job: nobody waits for it
                Work();
                Interlocked.Decrement(ref _pending);
            }
        }

        // Polls for a job newer than `seen`, then blocks. The flag is raised before the last look, and Run bumps the
        // job before it reads the flag (both full fences), so a job is never missed; a stray wake-up only loops.
        private long WaitForJob(int id, long seen)
        {
            long deadline = System.Diagnostics.Stopwatch.GetTimestamp() + (_spin ? SpinTicks : 0);
            while (true)
            {
                long job = Volatile.Read(ref _job);
                if (job >> 16 != seen) return job;
                if (System.Diagnostics.Stopwatch.GetTimestamp() < deadline)
                {
                    Thread.SpinWait(8);
                    continue;
                }
                Interlocked.Exchange(ref _sleeping[id], 1);
                if (Volatile.Read(ref _job) >> 16 == seen) _wake[id].Wait();
                Volatile.Write(ref _sleeping[id], 0);
                deadline = System.Diagnostics.Stopwatch.GetTimestamp() + (_spin ? SpinTicks : 0);
            }
        }

        public void Dispose()
        {
            // A job still running on this group (Threads.Count changed while another thread's kernel ran) would wait
            // forever for helpers that stopped without their part: its caller spun at 100% and a CI run hung. So the
            // group stops only once the running job is done; Run holds the lock for the whole job.
            lock (_jobLock) _stopping = true;
            Interlocked.Add(ref _job, 1L << 16);
            foreach (var s in _wake) s.Release();
        }
    }
}
