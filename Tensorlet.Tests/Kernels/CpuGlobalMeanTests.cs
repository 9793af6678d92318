using Tensorlet.Kernels;
using Ref = Tensorlet.Kernels.Reference;
using static Tensorlet.Tests.Kernels.KernelTestKit;

namespace Tensorlet.Tests.Kernels;

/// <summary>Global average pooling (adaptive pooling to 1×1), which the CPU runs as its own loop over whole planes.</summary>
public class CpuGlobalMeanTests
{
    // Plane counts around RowSums' groups of four (1, 7, 17, 33·37), areas
    // below one vector, with a tail, exactly vectors, and past a blocked-sum block.
    [TestCase(1, 1, 1, 1)]
    [TestCase(1, 7, 2, 3)]
    [TestCase(3, 5, 8, 8)]
    [TestCase(1, 17, 3, 5)]
    [TestCase(2, 9, 4, 4)]
    [TestCase(4, 33, 16, 16)]
    [TestCase(2, 3, 40, 40)]
    [TestCase(33, 37, 7, 9)]
    public void MatchesReference(int n, int c, int h, int w)
    {
        var x = Random(n * c * h * w + 3, n * 1000 + c * 10 + h, -2f, 5f);
        using var dx = Upload(x);
        using var dy = Upload(CpuPoolingTests.Garbage(n * c + 1));
        Cpu.AdaptiveAvgPool2d(View(dx, 3, n, c, h, w), View(dy, 1, n, c, 1, 1));
        var expected = Ref.Pooling.AdaptiveAvgPool2d(n, c, h, w, 1, 1, x[3..]);
        AssertClose(expected, Download(dy)[1..], 1e-6, 1e-6, "forward");

        var gy = Random(n * c, 7 + c);
        using var dgy = Upload(gy);
        using var dgx = Upload(CpuPoolingTests.Garbage(n * c * h * w + 2));
        Cpu.AdaptiveAvgPool2dBackward(View(dgy, 0, n, c, 1, 1), View(dgx, 2, n, c, h, w));
        var got = Download(dgx);
        AssertClose(Ref.Pooling.AdaptiveAvgPool2dBackward(n, c, h, w, 1, 1, gy), got[2..], 1e-6, 1e-7, "backward");
        Assert.That(float.IsNaN(got[0]) && float.IsNaN(got[1]), "nothing written before the view");
    }

    [Test]
    public void ThreadCountsGiveTheSameBits()
    {
        // 33·37 = 1221 planes of 64: enough work for 2 and 3 parts, with part boundaries at odd planes.
        int n = 33, c = 37, h = 8, w = 8;
        var x = Random(n * c * h * w + 5, 11);
        var results = AcrossThreadCounts.Run(() =>
        {
            using var dx = Upload(x);
            using var dy = Cpu.Allocate(n * c);
            Cpu.AdaptiveAvgPool2d(View(dx, 5, n, c, h, w), View(dy, 0, n, c, 1, 1));
            return Download(dy);
        });
        AssertClose(Ref.Pooling.AdaptiveAvgPool2d(n, c, h, w, 1, 1, x[5..]), results[0], 1e-6, 1e-6, "1 thread");
        AcrossThreadCounts.AssertSameBits(results);
    }

    [Test]
    public void ChannelsInReverseOrder()
    {
        // Walkable block operands may step back along N and C: x's channels reversed (stride −4), y's samples reversed.
        int n = 2, c = 3, h = 2, w = 2;
        var x = Random(n * c * h * w, 5, -2f, 5f);
        using var dx = Upload(x);
        using var dy = Upload(CpuPoolingTests.Garbage(n * c));
        Cpu.AdaptiveAvgPool2d(new StridedView(dx, 8, [n, c, h, w], [12, -4, 2, 1]), new StridedView(dy, 3, [n, c, 1, 1], [-3, 1, 1, 1]));
        var got = Download(dy);
        for (int s = 0; s < n; s++)
            for (int ch = 0; ch < c; ch++)
            {
                double sum = 0;
                for (int i = 0; i < h * w; i++) sum += x[8 + 12 * s - 4 * ch + i];
                Assert.That(got[3 - 3 * s + ch], Is.EqualTo(sum / (h * w)).Within(1e-5), $"sample {s} channel {ch}");
            }
    }

    [Test]
    public void EmptyRowsOfAnyStride()
    {
        // A mean over an empty last axis reads nothing, whatever the view's row stride says.
        using var src = Upload([1f]);
        using var dst = Upload(CpuPoolingTests.Garbage(3));
        Cpu.Reduce(ReduceOp.Sum, new StridedView(src, 0, [3, 0], [100, 1]), 1, View(dst, 0, 3, 1));
        Assert.That(Download(dst), Is.EqualTo(new float[3]));
    }
}
