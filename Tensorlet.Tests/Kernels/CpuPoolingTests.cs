using Tensorlet.Kernels;
using Ref = Tensorlet.Kernels.Reference;
using static Tensorlet.Tests.Kernels.KernelTestKit;

namespace Tensorlet.Tests.Kernels;

public class CpuPoolingTests
{
    private static readonly (int H, int W)[] Sizes = [(1, 1), (5, 7), (8, 8), (11, 19)];

    /// <summary>Every valid geometry of the grid: kernels 1–3 (and 2×3), strides 1–3, all legal paddings, ceil on and off.</summary>
    internal static IEnumerable<Pool2dGeometry> Grid(bool countIncludePad, (int H, int W)[]? sizes = null)
    {
        foreach (var (h, w) in sizes ?? Sizes)
            foreach (var (kh, kw) in new[] { (1, 1), (2, 2), (3, 3), (2, 3) })
                foreach (int s in new[] { 1, 2, 3 })
                    for (int p = 0; p <= Math.Min(kh, kw) / 2; p++)
                        foreach (bool ceil in new[] { false, true })
                        {
                            var g = new Pool2dGeometry(2, 3, h, w, kh, kw, s, s == 3 ? 2 : s, p, p, ceil, countIncludePad);
                            if (kh <= h + 2 * p && kw <= w + 2 * p) yield return g;
                        }
    }

    internal static float[] Garbage(int n) => Enumerable.Repeat(float.NaN, n).ToArray();

    internal static int InCount(in Pool2dGeometry g) => g.N * g.C * g.H * g.W;
    internal static int OutCount(in Pool2dGeometry g) => g.N * g.C * g.OutH * g.OutW;

    [Test]
    public void MaxPoolMatchesReferenceIncludingTies([Values(false, true)] bool ties)
    {
        int seed = 0;
        foreach (var g in Grid(true))
        {
            // Integers in [0, 3) make most windows hold several equal maxima: the first in row-major order must win.
            var x = ties ? Integers(InCount(g), ++seed, 0, 3) : Random(InCount(g), ++seed);
            CheckMax(g, x, Random(OutCount(g), ++seed));
        }
    }

    [Test]
    public void MaxPoolWideRowsMatchReference([Values(false, true)] bool ties)
    {
        // Rows wider than the 32 columns one group of the vector row pass reads: groups of 16 and of 8 outputs, a
        // group starting past the row's first column, a short last group, and windows too wide for any group (1×40,
        // left to the scalar pass); NaNs sprinkled in, so the last NaN of a window must still win.
        Pool2dGeometry[] shapes =
        [
            new(1, 2, 5, 70, 3, 3, 2, 2, 1, 1), new(1, 2, 4, 100, 2, 2, 2, 2, 0, 0), new(1, 2, 3, 67, 3, 3, 1, 1, 1, 1, true),
            new(1, 2, 3, 90, 5, 5, 3, 3, 2, 2, true), new(1, 1, 2, 83, 1, 40, 1, 1, 0, 0), new(1, 2, 6, 47, 3, 2, 2, 3, 1, 1),
        ];
        int seed = 500;
        foreach (var g in shapes)
        {
            var x = ties ? Integers(InCount(g), ++seed, 0, 3) : Random(InCount(g), ++seed);
            for (int i = 7; i < x.Length; i += 37) x[i] = float.NaN;
            CheckMax(g, x, Random(OutCount(g), ++seed));
        }
    }

    // Forward values and indices exactly as the reference's, then the backward from those indices.
    private void CheckMax(in Pool2dGeometry g, float[] x, float[] gy)
    {
        var (y, indices) = Ref.Pooling.MaxPool2d(g, x);
        using var dx = Upload(x);
        using var dy = Upload(Garbage(OutCount(g)));
        using var di = Upload(Garbage(OutCount(g)));
        Cpu.MaxPool2d(g, PoolIn(dx, 0, g), PoolOut(dy, 0, g), PoolOut(di, 0, g));
        AssertClose(y, Download(dy), 0, 0, $"max {g}");
        AssertClose(indices, Download(di), 0, 0, $"argmax {g}");
        using var dgy = Upload(gy);
        using var dgx = Upload(Garbage(InCount(g)));
        Cpu.MaxPool2dBackward(g, PoolOut(dgy, 0, g), PoolOut(di, 0, g), PoolIn(dgx, 0, g));
        AssertClose(Ref.Pooling.MaxPool2dBackward(g, gy, indices), Download(dgx), 1e-6, 1e-6, $"max backward {g}");
    }

    [Test]
    public void MaxPoolNaNAndInfinities()
    {
        // One plane 4×4, k 3, s 1, p 1: NaNs must win their windows (the last NaN in window order), −∞ windows point
        // at their first in-image element, never at padding.
        var g = new Pool2dGeometry(1, 1, 4, 4, 3, 3, 1, 1, 1, 1);
        var x = Enumerable.Repeat(float.NegativeInfinity, 16).ToArray();
        x[5] = float.NaN;
        x[6] = float.NaN;
        x[15] = 2f;
        var (y, indices) = Ref.Pooling.MaxPool2d(g, x);
        using var dx = Upload(x);
        using var dy = Cpu.Allocate(16);
        using var di = Cpu.Allocate(16);
        Cpu.MaxPool2d(g, PoolIn(dx, 0, g), PoolOut(dy, 0, g), PoolOut(di, 0, g));
        AssertClose(y, Download(dy), 0, 0, "values");
        AssertClose(indices, Download(di), 0, 0, "indices");
        Assert.That(Download(di)[0], Is.EqualTo(5f), "window (0,0) holds one NaN at 5");
        Assert.That(Download(di)[2], Is.EqualTo(6f), "window (0,2) holds NaNs at 5 and 6; the last wins");
        Assert.That(Download(di)[3], Is.EqualTo(6f));
        Assert.That(Download(di)[12], Is.EqualTo(8f), "an all −∞ window points at its first in-image element");
    }

    [Test]
    public void AvgPoolMatchesReference([Values(false, true)] bool countIncludePad)
    {
        int seed = 100;
        foreach (var g in Grid(countIncludePad))
        {
            var x = Random(InCount(g), ++seed);
            using var dx = Upload(x);
            using var dy = Upload(Garbage(OutCount(g)));
            Cpu.AvgPool2d(g, PoolIn(dx, 0, g), PoolOut(dy, 0, g));
            AssertClose(Ref.Pooling.AvgPool2d(g, x), Download(dy), 1e-5, 1e-6, $"avg {g}");

            var gy = Random(OutCount(g), ++seed);
            using var dgy = Upload(gy);
            using var dgx = Upload(Garbage(InCount(g)));
            Cpu.AvgPool2dBackward(g, PoolOut(dgy, 0, g), PoolIn(dgx, 0, g));
            AssertClose(Ref.Pooling.AvgPool2dBackward(g, gy), Download(dgx), 1e-5, 1e-6, $"avg backward {g}");
        }
    }

    [Test]
    public void CeilModeOverflowWindowDividesByItsClippedSize()
    {
        // H = W = 4, k 3, s 2, p 0, ceil: OH = 2 and the second window covers rows 2..4, clipped to 2..3 (4 = H + p).
        var g = new Pool2dGeometry(1, 1, 4, 4, 3, 3, 2, 2, CeilMode: true, CountIncludePad: true);
        Assert.That((g.OutH, g.OutW), Is.EqualTo((2, 2)));
        using var dx = Upload(Enumerable.Repeat(1f, 16).ToArray());
        using var dy = Cpu.Allocate(4);
        Cpu.AvgPool2d(g, PoolIn(dx, 0, g), PoolOut(dy, 0, g));
        Assert.That(Download(dy), Is.EqualTo(new[] { 1f, 1f, 1f, 1f }), "clipped to H + p, the divisor is 3·2, 2·3 and 2·2: all means 1");
    }

    [TestCase(7, 7, 1, 1)]
    [TestCase(7, 5, 3, 2)]
    [TestCase(10, 9, 4, 4)]
    [TestCase(5, 6, 5, 6)]
    [TestCase(3, 4, 6, 9)]
    [TestCase(32, 17, 5, 16)]
    public void AdaptiveAvgPoolMatchesReference(int h, int w, int oh, int ow)
    {
        var x = Random(2 * 3 * h * w, h * 100 + w);
        using var dx = Upload(x);
        using var dy = Upload(Garbage(2 * 3 * oh * ow));
        Cpu.AdaptiveAvgPool2d(View(dx, 0, 2, 3, h, w), View(dy, 0, 2, 3, oh, ow));
        AssertClose(Ref.Pooling.AdaptiveAvgPool2d(2, 3, h, w, oh, ow, x), Download(dy), 1e-5, 1e-6, "forward");

        var gy = Random(2 * 3 * oh * ow, oh * 10 + ow);
        using var dgy = Upload(gy);
        using var dgx = Upload(Garbage(2 * 3 * h * w));
        Cpu.AdaptiveAvgPool2dBackward(View(dgy, 0, 2, 3, oh, ow), View(dgx, 0, 2, 3, h, w));
        AssertClose(Ref.Pooling.AdaptiveAvgPool2dBackward(2, 3, h, w, oh, ow, gy), Download(dgx), 1e-5, 1e-6, "backward");
    }

    [Test]
    public void AdaptiveBinsOverlapWhenSizesDoNotDivide()
    {
        var bins = PoolAxis.AdaptiveBins(7, 3);
        Assert.That(Enumerable.Range(0, 3).Select(i => (bins.Start(i), bins.End(i))), Is.EqualTo(new[] { (0, 3), (2, 5), (4, 7) }));
    }

    [Test]
    public void OffsetsAndThreadCountsGiveTheSameBits()
    {
        var g = new Pool2dGeometry(8, 16, 16, 16, 3, 3, 2, 2, 1, 1);
        var x = Random(InCount(g) + 5, 9);
        var results = AcrossThreadCounts.Run(() =>
        {
            using var dx = Upload(x);
            using var dy = Cpu.Allocate(OutCount(g) + 2);
            using var di = Cpu.Allocate(OutCount(g) + 2);
            Cpu.MaxPool2d(g, PoolIn(dx, 5, g), PoolOut(dy, 2, g), PoolOut(di, 2, g));
            Cpu.AvgPool2d(g, PoolIn(dx, 5, g), PoolOut(di, 2, g));
            return [.. Download(dy).Skip(2), .. Download(di).Skip(2)];
        });
        var (refMax, _) = Ref.Pooling.MaxPool2d(g, x[5..]);
        AssertClose(refMax, results[0][..OutCount(g)], 0, 0, "offset max");
        AcrossThreadCounts.AssertSameBits(results);
    }

    [Test]
    public void ArgumentErrorsNameTheProblem()
    {
        using var small = Cpu.Allocate(10);
        var g = new Pool2dGeometry(1, 1, 4, 4, 2, 2, 2, 2);
        var ex = Assert.Throws<ArgumentException>(() => Cpu.AvgPool2d(g, PoolIn(small, 0, g), PoolOut(small, 0, g)))!;
        Assert.That(ex.Message, Does.Contain("AvgPool2d").And.Contain("'x'").And.Contain("spans elements [0, 15]").And.Contain("10 elements"));
        ex = Assert.Throws<ArgumentException>(() => Cpu.MaxPool2d(g with { PadH = 2 }, PoolIn(small, 0, g), PoolOut(small, 0, g), PoolOut(small, 0, g)))!;
        Assert.That(ex.Message, Does.Contain("padding"));
        using var x = Cpu.Allocate(16);
        using var index = Upload([0f, 2f, 99f, 10f]);
        var bad = Assert.Throws<ArgumentOutOfRangeException>(() => Cpu.MaxPool2dBackward(g, PoolOut(index, 0, g), PoolOut(index, 0, g), PoolIn(x, 0, g)))!;
        Assert.That(bad.Message, Does.Contain("MaxPool2dBackward").And.Contain("99"));
    }
}
