using Tensorlet.Bench;

namespace Tensorlet.Tests.Cli;

/// <summary>The timing helper of <c>tensorlet bench</c>, on a fake clock so every count and median is exact.</summary>
public class BenchTimerTests
{
    /// <summary>A clock in milliseconds that only moves when a run says how long it took.</summary>
    private sealed class FakeClock
    {
        public long Now;
        public Func<long> Read => () => Now;
    }

    [Test]
    public void MedianOfOddEvenAndUnsortedValues()
    {
        Assert.That(BenchTimer.Median([3.0]), Is.EqualTo(3.0));
        Assert.That(BenchTimer.Median([5.0, 1.0, 3.0]), Is.EqualTo(3.0));
        Assert.That(BenchTimer.Median([4.0, 1.0, 100.0, 2.0]), Is.EqualTo(3.0));
        Assert.Throws<ArgumentException>(() => BenchTimer.Median([]));
    }

    [Test]
    public void WarmsUpThenTimesUntilTheBudgetIsSpent()
    {
        var clock = new FakeClock();
        int calls = 0;
        void Run()
        {
            calls++;
            clock.Now += 2; // every run takes 2 ms
        }
        var timing = BenchTimer.Measure(Run, new TimingOptions(2, 0, 3, 100, 0.010), clock.Read, ticksPerSecond: 1000);
        // 2 warm-up runs, then runs until 10 ms have been spent timing: 5 runs of 2 ms.
        Assert.That(calls, Is.EqualTo(7));
        Assert.That(timing.RunsMs, Is.EqualTo(new[] { 2.0, 2.0, 2.0, 2.0, 2.0 }));
        Assert.That(timing.MedianMs, Is.EqualTo(2.0));
    }

    [Test]
    public void MedianIgnoresAStraySlowRunAndMinIsTheFastest()
    {
        var clock = new FakeClock();
        long[] durations = [50, 50, 5, 1, 3, 100, 2]; // two warm-up runs, then five timed
        int call = 0;
        var timing = BenchTimer.Measure(() => clock.Now += durations[call++], new TimingOptions(2, 0, 5, 5, 0), clock.Read, 1000);
        Assert.That(timing.RunsMs, Is.EqualTo(new[] { 5.0, 1.0, 3.0, 100.0, 2.0 }));
        Assert.That(timing.MedianMs, Is.EqualTo(3.0));
        Assert.That(timing.MinMs, Is.EqualTo(1.0));
    }

    [Test]
    public void WarmupLastsAtLeastItsTimeAndRunsStopAtMaxRuns()
    {
        var clock = new FakeClock();
        int calls = 0;
        var timing = BenchTimer.Measure(() => { calls++; clock.Now += 10; }, new TimingOptions(1, 0.055, 1, 4, 1000), clock.Read, 1000);
        // Warm-up runs until 55 ms have passed (6 runs of 10 ms); then the budget is huge, so MaxRuns (4) stops it.
        Assert.That(calls, Is.EqualTo(6 + 4));
        Assert.That(timing.RunsMs, Has.Count.EqualTo(4));
    }

    [Test]
    public void RejectsImpossibleRunCounts()
    {
        Assert.Throws<ArgumentException>(() => BenchTimer.Measure(() => { }, new TimingOptions(0, 0, 0, 5, 1)));
        Assert.Throws<ArgumentException>(() => BenchTimer.Measure(() => { }, new TimingOptions(0, 0, 5, 4, 1)));
    }
}
