using System.Diagnostics;

namespace Tensorlet.Tests.Kernels;

/// <summary>
/// The shared worker group: every part runs exactly once whatever the timing (workers polling, or asleep after their
/// spin), failures reach the caller, nested calls run inline, and changing the thread count between calls is safe.
/// </summary>
[NonParallelizable]
public class ThreadsTests : ThreadCountFixture
{
    [Test]
    public void ChangingTheCountWhileAnotherThreadsKernelRunsNeverStrandsIt()
    {
        // The setter used to stop the worker group under a running job: helpers that had not yet taken their part
        // returned without it, and the job's caller spun forever (a CI run stalled on it). Every job must finish.
        Threads.Count = 3;
        using var stop = new CancellationTokenSource();
        long jobs = 0;
        var kernel = Task.Factory.StartNew(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var runs = new int[6];
                Threads.Run(6, p => Interlocked.Increment(ref runs[p]));
                Assert.That(runs, Is.All.EqualTo(1));
                Interlocked.Increment(ref jobs);
            }
        }, TaskCreationOptions.LongRunning);
        var clock = Stopwatch.StartNew();
        while (Interlocked.Read(ref jobs) == 0 && clock.Elapsed < TimeSpan.FromSeconds(10)) Thread.Yield();
        long before = Interlocked.Read(ref jobs);
        for (int change = 0; change < 300 || Interlocked.Read(ref jobs) < before + 300; change++)
        {
            Threads.Count = 2 + change % 2;
            Thread.Yield();
            if (clock.Elapsed > TimeSpan.FromSeconds(20)) break;
        }
        stop.Cancel();
        Assert.That(kernel.Wait(TimeSpan.FromSeconds(20)), Is.True, "a job stranded by a count change never finished");
        Assert.That(Interlocked.Read(ref jobs), Is.GreaterThan(before + 100), "the kernel ran through the count changes");
    }

    [TestCase(2)]
    [TestCase(3)]
    [TestCase(5)]
    public void EveryPartRunsOnceWhetherWorkersPollOrSleep(int threads)
    {
        Threads.Count = threads;
        var random = new Random(7);
        for (int call = 0; call < 400; call++)
        {
            int parts = 1 + random.Next(2 * threads);
            var runs = new int[parts];
            Threads.Run(parts, p => Interlocked.Increment(ref runs[p]));
            Assert.That(runs, Is.All.EqualTo(1), $"call {call}, {parts} parts on {threads} threads");
            // Now and then a gap longer than a worker's spin (1 ms), so it has gone to sleep and must be woken.
            if (call % 25 == 0) Thread.Sleep(3);
            else if (call % 5 == 0) Busy(TimeSpan.FromMicroseconds(random.Next(50, 400)));
        }
    }

    [Test]
    public void PartsRunConcurrentlyOnTwoThreads()
    {
        Threads.Count = 2;
        var started = new CountdownEvent(2);
        bool bothRan = false;
        // Each part waits for the other to start: only possible if a worker really runs part 1 beside the caller.
        Threads.Run(2, _ =>
        {
            started.Signal();
            bothRan = started.Wait(TimeSpan.FromSeconds(10));
        });
        Assert.That(bothRan, Is.True);
    }

    [Test]
    public void AFailingPartReachesTheCallerAndTheGroupKeepsWorking()
    {
        Threads.Count = 2;
        var error = Assert.Throws<AggregateException>(() =>
            Threads.Run(2, p => { if (p == 1) throw new InvalidOperationException("part 1 failed"); }));
        Assert.That(error!.InnerException, Is.TypeOf<InvalidOperationException>());
        var runs = new int[2];
        Threads.Run(2, p => runs[p]++);
        Assert.That(runs, Is.EqualTo(new[] { 1, 1 }));
    }

    [Test]
    public void NestedCallsRunInlineOnThePartsThread()
    {
        Threads.Count = 2;
        var inner = new int[2 * 3];
        Threads.Run(2, p => Threads.Run(3, q => inner[p * 3 + q]++));
        Assert.That(inner, Is.All.EqualTo(1));
    }

    [Test]
    public void ChangingTheThreadCountBetweenCallsKeepsResults()
    {
        long expected = 0;
        for (int i = 0; i < 1000; i++) expected += i;
        foreach (int threads in new[] { 2, 1, 3, 2, 4, 2 })
        {
            Threads.Count = threads;
            var sums = new long[threads];
            Threads.For(1000, 1, (s, e) =>
            {
                long sum = 0;
                for (int i = s; i < e; i++) sum += i;
                sums[Threads.PartsFor(1000, 1) == 1 ? 0 : PartOf(s, threads)] = sum;
            });
            Assert.That(sums.Sum(), Is.EqualTo(expected), $"{threads} threads");
        }
    }

    private static int PartOf(int start, int parts)
    {
        for (int p = 0; p < parts; p++)
            if (Threads.Range(1000, parts, p).Start == start) return p;
        throw new InvalidOperationException($"no part starts at {start}");
    }

    private static void Busy(TimeSpan time)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < time) { }
    }
}
