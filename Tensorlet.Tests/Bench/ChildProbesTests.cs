using Tensorlet.Bench.Comparison;

namespace Tensorlet.Tests.Bench;

/// <summary>
/// The host watch of the libtorch harness: a child beside a bandwidth probe below 60% of the run's best ran on a slowed
/// host; of a block's tries the first clean one is kept, else the least slowed.
/// </summary>
public class ChildProbesTests
{
    [Test]
    public void AChildIsSlowedWhenEitherProbeBesideItReadsBelowSixtyPercentOfTheBest()
    {
        Assert.That(new ChildProbes("tensorlet", 0, 0, 170, 103).SlowedAgainst(170), Is.False);
        Assert.That(new ChildProbes("tensorlet", 0, 0, 101, 170).SlowedAgainst(170), Is.True);
        Assert.That(new ChildProbes("tensorlet", 0, 0, 170, 44.6).SlowedAgainst(173.7), Is.True);
        Assert.That(new ChildProbes("tensorlet", 0, 0, 170, 44.6).WorstGBps, Is.EqualTo(44.6));
    }

    [Test]
    public void TheFirstCleanTryIsKeptElseTheLeastSlowed()
    {
        var own = new ChildProbes("tensorlet", 1, 0, 170, 44.6);
        var first = new ChildProbes("tensorlet", 1, 1, 44.6, 90);
        var second = new ChildProbes("tensorlet", 1, 2, 90, 80);
        Assert.That(ChildProbes.Keep([own, first, second], 170), Is.EqualTo(second));
        var clean = new ChildProbes("tensorlet", 1, 2, 90, 160);
        Assert.That(ChildProbes.Keep([own, first, clean], 150), Is.EqualTo(clean));
        Assert.That(ChildProbes.Keep([new ChildProbes("tensorlet", 1, 0, 150, 160)], 170), Is.EqualTo(new ChildProbes("tensorlet", 1, 0, 150, 160)));
        var ex = Assert.Throws<ArgumentException>(() => ChildProbes.Keep([own, new ChildProbes("libtorch", 1, 1, 160, 160)], 170));
        Assert.That(ex!.Message, Does.Contain("libtorch block 2").And.Contain("tensorlet block 2"));
        Assert.Throws<ArgumentException>(() => ChildProbes.Keep([], 170));
    }

    [Test]
    public void EveryBlockKeepsOneTryJudgedAgainstTheRunsBestProbe()
    {
        // models-4 of the fourteenth session, probed after every child: Tensorlet's second block beside 44.6 GB/s.
        ChildProbes[] run =
        [
            new("tensorlet", 0, 0, 123.6, 170), new("libtorch", 0, 0, 170, 168), new("libtorch-nommap", 0, 0, 168, 173.7),
            new("tensorlet", 1, 0, 173.7, 44.6), new("libtorch", 1, 0, 44.6, 150),
            new("tensorlet", 1, 1, 150, 165),
        ];
        var kept = ChildProbes.Kept(run);
        Assert.That(kept, Is.EqualTo(new[] { run[0], run[1], run[2], run[5], run[4] }));
        string text = ChildProbes.Describe(run);
        Assert.That(text, Does.Contain("best 173.7 GB/s").And.Contain("lowest 44.6"));
        Assert.That(text, Does.Contain("tensorlet block 2: 173.7 / 44.6 GB/s").And.Contain("libtorch block 2: 44.6 / 150.0 GB/s"));
        Assert.That(text, Does.Contain("Kept: tensorlet block 2 (try 1)"));
        Assert.That(text, Does.Contain("still beside a slowed host: libtorch block 2"));
        Assert.That(ChildProbes.Describe(run[..3]), Does.EndWith("no child ran beside a probe below 60% of the best."));
        Assert.Throws<ArgumentException>(() => ChildProbes.Best([]));
    }
}
