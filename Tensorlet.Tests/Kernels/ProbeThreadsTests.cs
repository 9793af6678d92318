using System.Collections.Concurrent;
using Tensorlet.Kernels.Cpu;

namespace Tensorlet.Tests.Kernels;

/// <summary>The ceilings probes' own threads: every part runs once on its own thread, and bursts reuse the threads.</summary>
public class ProbeThreadsTests
{
    [Test]
    public void EachPartRunsOnceOnItsOwnProbeThread()
    {
        var ran = new ConcurrentDictionary<int, (int Thread, string? Name)>();
        ProbeThreads.Time(3, part => Assert.That(ran.TryAdd(part, (Environment.CurrentManagedThreadId, Thread.CurrentThread.Name)), Is.True, $"part {part} ran twice"));
        Assert.That(ran.Keys.Order(), Is.EqualTo(new[] { 0, 1, 2 }));
        Assert.That(ran.Values.Select(v => v.Thread).Distinct().Count(), Is.EqualTo(3), "three parts, three threads");
        Assert.That(ran.Values.Select(v => v.Name), Has.All.StartWith("ceilings probe "));
        Assert.That(ran.Values.Select(v => v.Thread), Has.None.EqualTo(Environment.CurrentManagedThreadId));
    }

    [Test]
    public void BurstsReuseTheThreadsInsteadOfStartingNewOnes()
    {
        int[] Threads(int count)
        {
            var ids = new int[count];
            ProbeThreads.Time(count, part => ids[part] = Environment.CurrentManagedThreadId);
            return ids;
        }
        int[] first = Threads(2);
        int crew = ProbeThreads.CrewSize;
        for (int i = 0; i < 50; i++) Assert.That(Threads(2), Is.EqualTo(first), $"burst {i}: part p always runs on crew member p");
        Assert.That(ProbeThreads.CrewSize, Is.EqualTo(crew));
        Assert.That(Threads(1)[0], Is.EqualTo(first[0]), "fewer parts take the first members");
    }

    [Test]
    public void TheTimeCoversTheSlowestPart()
    {
        double seconds = ProbeThreads.Time(2, part => Thread.Sleep(part == 1 ? 60 : 1));
        Assert.That(seconds, Is.GreaterThanOrEqualTo(0.055), "until the last part has returned");
    }

    [Test]
    public void APartsExceptionReachesTheCallerAndTheCrewGoesOn()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => ProbeThreads.Time(2, part =>
        {
            if (part == 1) throw new InvalidOperationException("probe part failed");
        }));
        Assert.That(ex!.Message, Is.EqualTo("probe part failed"));
        int calls = 0;
        ProbeThreads.Time(2, _ => Interlocked.Increment(ref calls));
        Assert.That(calls, Is.EqualTo(2), "the thread that threw still serves the next burst");
    }

    [Test]
    public void BadArgumentsAreRefused()
    {
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => ProbeThreads.Time(0, _ => { }))!.ParamName, Is.EqualTo("threads"));
        Assert.That(Assert.Throws<ArgumentNullException>(() => ProbeThreads.Time(1, null!))!.ParamName, Is.EqualTo("body"));
    }
}
