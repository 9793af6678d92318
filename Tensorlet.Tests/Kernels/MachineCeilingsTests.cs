using Tensorlet.Kernels.Cpu;

namespace Tensorlet.Tests.Kernels;

/// <summary>The quick ceilings probes: plausible figures, and one measurement per thread count per process.</summary>
public class MachineCeilingsTests
{
    [Test]
    public void ProbesMeasurePlausibleCeilings()
    {
        // Lower bounds any CPU of the last decade clears even while shared: 1 GFLOP/s and 0.5 GB/s on one thread.
        double peak = FmaPeak.Measure(1, iterations: 500_000, repeats: 2);
        var (read, triad) = MemoryBandwidth.MeasureBoth(1, repeats: 1);
        Assert.That(peak, Is.GreaterThan(1));
        Assert.That(read, Is.GreaterThan(0.5));
        Assert.That(triad, Is.GreaterThan(0.5));
    }

    [Test]
    public void CeilingsAreMeasuredOncePerThreadCount()
    {
        var first = MachineCeilings.Get(1);
        Assert.That(MachineCeilings.Get(1), Is.SameAs(first));
        Assert.That(first.Threads, Is.EqualTo(1));
        Assert.That(first.PeakGflops, Is.GreaterThan(1));
        Assert.That(first.BandwidthGBps, Is.GreaterThan(0.5));
    }

    [Test]
    public void BestOfTwoProbesKeepsEachCeilingsHigherFigure()
    {
        // A probe taken while the host lent a core elsewhere reads the peak low; one taken during a burst of memory
        // traffic reads the bandwidth low. The best of the two keeps each ceiling's higher figure.
        var a = new MachineCeilings(2, PeakGflops: 238, BandwidthGBps: 51);
        var b = new MachineCeilings(2, PeakGflops: 470, BandwidthGBps: 43);
        Assert.That(a.Best(b), Is.EqualTo(new MachineCeilings(2, 470, 51)));
        Assert.That(b.Best(a), Is.EqualTo(new MachineCeilings(2, 470, 51)));
        var ex = Assert.Throws<ArgumentException>(() => a.Best(new MachineCeilings(1, 500, 60)));
        Assert.That(ex!.Message, Does.Contain("1 thread(s)").And.Contain("at 2"));
    }

    [Test]
    public void AWorkingSetsFigureOnlyEverRises()
    {
        // A thread count no probe runs at, and the largest cache-sized bucket (the only size BandwidthAt then reads), so
        // the figures are this test's own and nothing is measured.
        const int threads = 1000;
        const long size = MachineCeilings.MainMemoryBytes / 2;
        var ceilings = new MachineCeilings(threads, 100, 10);
        MachineCeilings.Raise(threads, size, 50);
        Assert.That(ceilings.BandwidthAt(size), Is.EqualTo(50));
        MachineCeilings.Raise(threads, size, 20);
        Assert.That(ceilings.BandwidthAt(size), Is.EqualTo(50), "a lower re-probe must not lower the ceiling");
        MachineCeilings.Raise(threads, size, 70);
        Assert.That(ceilings.BandwidthAt(size), Is.EqualTo(70), "a higher one raises it");
        Assert.That(ceilings.BandwidthAt(MachineCeilings.MainMemoryBytes), Is.EqualTo(10), "main memory keeps its own figure");
    }

    [Test]
    public void AWorkingSetIsProbedAtItsSizeRoundedDownToAPowerOfTwo()
    {
        Assert.That(MachineCeilings.ProbeSizeFor(32L << 20), Is.EqualTo(32L << 20), "batch norm eval's 32 MiB is its own probe size");
        Assert.That(MachineCeilings.ProbeSizeFor((32L << 20) - 1), Is.EqualTo(16L << 20));
        Assert.That(MachineCeilings.ProbeSizeFor(5e6), Is.EqualTo(4L << 20));
        Assert.That(MachineCeilings.ProbeSizeFor(1), Is.EqualTo(MachineCeilings.MinimumProbeBytes));
        Assert.That(MachineCeilings.ProbeSizeFor(1e12), Is.EqualTo(MachineCeilings.MainMemoryBytes));
    }

    [Test]
    public void AProbeTakenElsewhereRaisesItsSizesCeilingAndNeverLowersIt()
    {
        // As above, a thread count of this test's own: nothing is measured.
        const int threads = 1001;
        const long size = MachineCeilings.MainMemoryBytes / 2;
        var ceilings = new MachineCeilings(threads, 100, 10);
        MachineCeilings.Raise(threads, size, 50);
        Assert.That(ceilings.WithProbeAt(size, 120).BandwidthAt(size), Is.EqualTo(120), "the case ran in a quieter moment than the driver's probes");
        Assert.That(ceilings.WithProbeAt(size, 30).BandwidthAt(size), Is.EqualTo(120));
        var raised = ceilings.WithProbeAt(MachineCeilings.MainMemoryBytes, 12);
        Assert.That(raised.BandwidthGBps, Is.EqualTo(12));
        Assert.That(raised.WithProbeAt(MachineCeilings.MainMemoryBytes, 11).BandwidthGBps, Is.EqualTo(12));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ceilings.WithProbeAt(3 << 20, 50));
        Assert.That(ex!.ParamName, Is.EqualTo("probeBytes"));
        Assert.That(ex.Message, Does.Contain("3145728 bytes is not a probe size"));
        Assert.Throws<ArgumentOutOfRangeException>(() => ceilings.WithProbeAt(size, 0));
    }
}
