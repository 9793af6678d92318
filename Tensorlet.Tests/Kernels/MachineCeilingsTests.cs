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
}
