using Tensorlet.Kernels;
using Ref = Tensorlet.Kernels.Reference;
using static Tensorlet.Tests.Kernels.KernelTestKit;

namespace Tensorlet.Tests.Kernels;

public class CpuNormalizationTests
{
    [TestCase(4, 3, 1, true)]
    [TestCase(5, 2, 7, true)]
    [TestCase(3, 4, 37, false)]
    [TestCase(2, 5, 1030, true)]
    [TestCase(8, 2, 64, false)]
    public void BatchNormMatchesReference(int n, int c, int hw, bool affine)
    {
        foreach (bool batchStats in new[] { true, false })
        {
            // An offset of 3 and a mean of 100 ± 1: a one-pass Σx² − (Σx)² variance would lose most of its digits.
            var x = Random(n * c * hw + 3, n + c + hw, 99f, 101f);
            float[]? gamma = affine ? Random(c, 1, 0.5f, 2f) : null, beta = affine ? Random(c, 2) : null;
            var rm = Random(c, 3);
            var rv = Random(c, 4, 0.5f, 2f);
            var (y, mean, invStd) = Ref.Normalization.BatchNormForward(n, c, hw, x[3..], gamma, beta, (float[])rm.Clone(), (float[])rv.Clone(),
                                                                        batchStats, 0.1f, 1e-5f);
            var refRm = (float[])rm.Clone();
            var refRv = (float[])rv.Clone();
            Ref.Normalization.BatchNormForward(n, c, hw, x[3..], gamma, beta, refRm, refRv, batchStats, 0.1f, 1e-5f);

            using var dx = Upload(x);
            using var dy = Cpu.Allocate(x.Length);
            using var dg = gamma == null ? null : Upload(gamma);
            using var db = beta == null ? null : Upload(beta);
            using var drm = Upload(rm);
            using var drv = Upload(rv);
            using var dm = Cpu.Allocate(c);
            using var di = Cpu.Allocate(c);
            int[] shape = [n, c, hw];
            StridedView? Channels(DeviceBuffer? b) => b == null ? null : View(b, 0, c);
            var args = new BatchNormArgs(View(dx, 3, shape), Channels(dg), Channels(db), Channels(drm), Channels(drv), View(dm, 0, c), View(di, 0, c),
                                         batchStats, 0.1f, 1e-5f);
            Cpu.BatchNormForward(args, View(dy, 3, shape));
            string what = $"n {n} c {c} hw {hw} batch stats {batchStats}";
            AssertClose(y, Download(dy)[3..], 1e-4, 1e-4, "y " + what);
            AssertClose(mean, Download(dm), 1e-6, 0, "mean " + what);
            AssertClose(invStd, Download(di), 1e-4, 0, "invstd " + what);
            AssertClose(refRm, Download(drm), 1e-6, 1e-6, "running mean " + what);
            AssertClose(refRv, Download(drv), 1e-4, 1e-6, "running var " + what);

            var gy = Random(n * c * hw, 7);
            var (gx, gg, gb) = Ref.Normalization.BatchNormBackward(n, c, hw, x[3..], gy, gamma, mean, invStd, batchStats);
            using var dgy = Upload(gy);
            using var dgx = Cpu.Allocate(n * c * hw);
            using var dgg = Cpu.Allocate(c);
            using var dgb = Cpu.Allocate(c);
            Cpu.BatchNormBackward(args with { Beta = null, RunningMean = null, RunningVar = null }, View(dgy, 0, shape),
                                  new(View(dgx, 0, shape), View(dgg, 0, c), View(dgb, 0, c)));
            double scale = gx.Max(Math.Abs);
            AssertClose(gx, Download(dgx), 1e-3, 1e-4 * scale, "gradX " + what);
            AssertClose(gg, Download(dgg), 1e-3, 1e-3, "gradGamma " + what);
            AssertClose(gb, Download(dgb), 1e-5, 1e-4, "gradBeta " + what);
        }
    }

    [Test]
    public void EvalWithoutRunningStatisticsIsAnError()
    {
        using var x = Cpu.Allocate(8);
        using var s = Cpu.Allocate(2);
        var ex = Assert.Throws<ArgumentException>(() => Cpu.BatchNormForward(
            new(View(x, 0, 2, 2, 2), null, null, null, null, View(s, 0, 2), View(s, 0, 2), false, 0.1f, 1e-5f), View(x, 0, 2, 2, 2)))!;
        Assert.That(ex.Message, Does.Contain("BatchNormForward").And.Contain("running"));
    }

    [TestCase(0f)]
    [TestCase(0.2f)]
    [TestCase(0.5f)]
    [TestCase(1f)]
    public void DropoutMaskMatchesReferenceForAnyThreadCountAndCounterBase(float p)
    {
        const int N = 100_000;
        var expected = Ref.Normalization.DropoutMask(N, p, 42, 1000);
        var masks = AcrossThreadCounts.Run(() =>
        {
            using var mask = Cpu.Allocate(N + 10);
            Cpu.DropoutMask(StridedView.Contiguous(mask, 10, [N]), p, 42, 1000);
            return Download(mask)[10..];
        });
        for (int i = 0; i < masks.Count; i++) Assert.That(masks[i], Is.EqualTo(expected), $"{i + 1} threads");
        // A mask drawn in two pieces, the second starting at counter base 1000 + 600, is the same mask.
        using var pieces = Cpu.Allocate(N);
        Cpu.DropoutMask(StridedView.Contiguous(pieces, 0, [600]), p, 42, 1000);
        Cpu.DropoutMask(StridedView.Contiguous(pieces, 600, [N - 600]), p, 42, 1600);
        Assert.That(Download(pieces), Is.EqualTo(expected));

        double dropped = expected.Count(v => v == 0f) / (double)N;
        Assert.That(dropped, Is.EqualTo(p).Within(0.01), "fraction dropped");
        if (p < 1f) Assert.That(expected.Where(v => v != 0f), Is.All.EqualTo(1f / (1f - p)), "kept values are scaled by 1/(1 − p)");
    }
}
