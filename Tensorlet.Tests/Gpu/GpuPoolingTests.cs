using Tensorlet.Tests.Kernels;
using Tensorlet.Kernels;
using static Tensorlet.Tests.Gpu.GpuTestKit;
using static Tensorlet.Tests.Kernels.KernelTestKit;

namespace Tensorlet.Tests.Gpu;

/// <summary>
/// Pooling GPU kernels against the CPU backend. Max pooling must agree exactly: values and indices are selections, and
/// the backward gather adds each input's gradients in the same order as the CPU's scatter. Averages sum in the CPU's
/// order too, except global pooling (the CPU sums in double there), hence a small tolerance for them.
/// </summary>
public class GpuPoolingTests
{
    private const double AvgRtol = 1e-5, AvgAtol = 1e-6;

    /// <summary>The CPU tests' grid (kernels 1–3 and 2×3, strides 1–3, every legal padding, ceil on and off) over smaller planes.</summary>
    private static IEnumerable<Pool2dGeometry> Grid(bool countIncludePad) =>
        CpuPoolingTests.Grid(countIncludePad, [(1, 1), (5, 7), (8, 8), (11, 6)]);

    private static float[] Garbage(int n) => CpuPoolingTests.Garbage(n);
    private static int InCount(in Pool2dGeometry g) => CpuPoolingTests.InCount(g);
    private static int OutCount(in Pool2dGeometry g) => CpuPoolingTests.OutCount(g);

    /// <summary>Forward then backward on each backend: arrays x, y, indices, gradY, gradX, all compared exactly.</summary>
    private static void AssertMaxPoolSame(string what, in Pool2dGeometry geometry, float[] x, int seed)
    {
        var g = geometry;
        AssertSameOnBoth(what, [x, Garbage(OutCount(g)), Garbage(OutCount(g)), Random(OutCount(g), seed), Garbage(InCount(g))], (b, m) =>
        {
            b.MaxPool2d(g, PoolIn(m[0], 0, g), PoolOut(m[1], 0, g), PoolOut(m[2], 0, g));
            b.MaxPool2dBackward(g, PoolOut(m[3], 0, g), PoolOut(m[2], 0, g), PoolIn(m[4], 0, g));
        }, rtol: 0, atol: 0);
    }

    [Test]
    public void MaxPoolMatchesCpuExactlyIncludingTies([Values(false, true)] bool ties)
    {
        int seed = ties ? 1000 : 0;
        foreach (var g in Grid(true))
        {
            // Integers in [0, 3) give most windows several equal maxima: the first in row-major order must win, and the
            // backward pass must send each gradient to that one element only.
            var x = ties ? Integers(InCount(g), ++seed, 0, 3) : Random(InCount(g), ++seed);
            AssertMaxPoolSame($"max {g}", g, x, ++seed);
        }
    }

    [Test]
    public void MaxPoolNaNAndInfinitiesAsOnCpu()
    {
        // k 3, s 1, p 1: NaNs win their windows (the last NaN in window order), all −∞ windows point at their first
        // in-image element and never at padding; a +∞ beats everything but NaN.
        var g = new Pool2dGeometry(1, 2, 4, 4, 3, 3, 1, 1, 1, 1);
        var x = Enumerable.Repeat(float.NegativeInfinity, 32).ToArray();
        x[5] = float.NaN;
        x[6] = float.NaN;
        x[15] = 2f;
        x[16 + 3] = float.PositiveInfinity;
        x[16 + 10] = float.NaN;
        AssertMaxPoolSame("special values", g, x, 7);

        var gpu = Run(GpuTestKit.TestGpu, [x, new float[32], new float[32]], (b, m) => b.MaxPool2d(g, PoolIn(m[0], 0, g), PoolOut(m[1], 0, g), PoolOut(m[2], 0, g)));
        Assert.That(gpu[2][0], Is.EqualTo(5f), "window (0,0) holds one NaN at 5");
        Assert.That(gpu[2][2], Is.EqualTo(6f), "window (0,2) holds NaNs at 5 and 6; the last wins");
        Assert.That(gpu[2][12], Is.EqualTo(8f), "an all −∞ window points at its first in-image element");
        Assert.That(gpu[1][16 + 2], Is.EqualTo(float.PositiveInfinity));
    }

    [Test]
    public void AvgPoolMatchesCpu([Values(false, true)] bool countIncludePad)
    {
        int seed = countIncludePad ? 3000 : 2000;
        foreach (var g in Grid(countIncludePad))
            AssertSameOnBoth($"avg {g}", [Random(InCount(g), ++seed), Garbage(OutCount(g)), Random(OutCount(g), ++seed), Garbage(InCount(g))],
                             (b, m) =>
                             {
                                 b.AvgPool2d(g, PoolIn(m[0], 0, g), PoolOut(m[1], 0, g));
                                 b.AvgPool2dBackward(g, PoolOut(m[2], 0, g), PoolIn(m[3], 0, g));
                             }, AvgRtol, AvgAtol);
    }

    [Test]
    public void CeilModeOverflowWindowDividesByItsClippedSize()
    {
        // H = W = 4, k 3, s 2, ceil: the second window covers rows 2..4, clipped to 2..3 (4 = H + p): all means are 1.
        var g = new Pool2dGeometry(1, 1, 4, 4, 3, 3, 2, 2, CeilMode: true, CountIncludePad: true);
        var y = Run(GpuTestKit.TestGpu, [Enumerable.Repeat(1f, 16).ToArray(), new float[4]], (b, m) => b.AvgPool2d(g, PoolIn(m[0], 0, g), PoolOut(m[1], 0, g)))[1];
        Assert.That(y, Is.EqualTo(new[] { 1f, 1f, 1f, 1f }));
    }

    [TestCase(7, 7, 1, 1)]
    [TestCase(7, 5, 3, 2)]
    [TestCase(10, 9, 4, 4)]
    [TestCase(5, 6, 5, 6)]
    [TestCase(3, 4, 6, 9)]
    [TestCase(32, 17, 5, 16)]
    public void AdaptiveAvgPoolMatchesCpu(int h, int w, int oh, int ow)
    {
        // 7 → 3 and 10 → 4 make overlapping bins; 3 → 6 and 4 → 9 make more bins than inputs (each input in several).
        int inCount = 2 * 3 * h * w, outCount = 2 * 3 * oh * ow;
        AssertSameOnBoth($"adaptive {h}×{w} → {oh}×{ow}",
                         [Random(inCount, h * 100 + w), Garbage(outCount), Random(outCount, oh * 10 + ow), Garbage(inCount)], (b, m) =>
                         {
                             b.AdaptiveAvgPool2d(View(m[0], 0, 2, 3, h, w), View(m[1], 0, 2, 3, oh, ow));
                             b.AdaptiveAvgPool2dBackward(View(m[2], 0, 2, 3, oh, ow), View(m[3], 0, 2, 3, h, w));
                         }, AvgRtol, AvgAtol);
    }

    [Test]
    public void OffsetsAndManyPlanes()
    {
        // 4·8 planes of 16×16: far more work items than the CPU accelerator's grid, so every kernel's grid-stride loop
        // runs several rounds; operands start at offsets 5, 2 and 3 and the elements around them must stay untouched.
        var g = new Pool2dGeometry(4, 8, 16, 16, 3, 3, 2, 2, 1, 1);
        int inCount = InCount(g), outCount = OutCount(g);
        AssertSameOnBoth("max with offsets", [Random(inCount + 5, 1), Random(outCount + 2, 2), Random(outCount + 3, 3), Random(inCount + 4, 4)],
                         (b, m) =>
                         {
                             b.MaxPool2d(g, PoolIn(m[0], 5, g), PoolOut(m[1], 2, g), PoolOut(m[2], 3, g));
                             b.MaxPool2dBackward(g, PoolOut(m[1], 2, g), PoolOut(m[2], 3, g), PoolIn(m[3], 4, g));
                         }, rtol: 0, atol: 0);
        AssertSameOnBoth("avg with offsets", [Random(inCount + 5, 5), Random(outCount + 2, 6), Random(inCount + 4, 7)], (b, m) =>
        {
            b.AvgPool2d(g, PoolIn(m[0], 5, g), PoolOut(m[1], 2, g));
            b.AvgPool2dBackward(g, PoolOut(m[1], 2, g), PoolIn(m[2], 4, g));
            b.AdaptiveAvgPool2d(View(m[0], 5, 4, 8, 16, 16), View(m[1], 2, 4, 8, 3, 5));
        }, AvgRtol, AvgAtol);
    }

    [Test]
    public void ArgumentErrorsAreTheCpuOnes()
    {
        using var small = GpuTestKit.TestGpu.Allocate(10);
        var g = new Pool2dGeometry(1, 1, 4, 4, 2, 2, 2, 2);
        var ex = Assert.Throws<ArgumentException>(() => GpuTestKit.TestGpu.AvgPool2d(g, PoolIn(small, 0, g), PoolOut(small, 0, g)))!;
        Assert.That(ex.Message, Does.Contain("AvgPool2d").And.Contain("'x'").And.Contain("spans elements [0, 15]").And.Contain("10 elements"));
        ex = Assert.Throws<ArgumentException>(() => GpuTestKit.TestGpu.MaxPool2d(g with { PadH = 2 }, PoolIn(small, 0, g), PoolOut(small, 0, g), PoolOut(small, 0, g)))!;
        Assert.That(ex.Message, Does.Contain("padding"));
        ex = Assert.Throws<ArgumentException>(() => GpuTestKit.TestGpu.AdaptiveAvgPool2d(View(small, 0, 1, 1, 4, 4), View(small, 0, 1, 1, 0, 2)))!;
        Assert.That(ex.Message, Does.Contain("AdaptiveAvgPool2d"));
    }
}
