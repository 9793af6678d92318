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
}
