using System.Runtime.Intrinsics;
using Tensorlet.Kernels;
using Tensorlet.Kernels.Cpu;
using Tensorlet.Kernels.Cpu.Conv;
using Tensorlet.Kernels.Cpu.Gemm;
using Tensorlet.Tests.Gpu;
using Ref = Tensorlet.Kernels.Reference;
using static Tensorlet.Tests.Kernels.KernelTestKit;

namespace Tensorlet.Tests.Kernels;

/// <summary>
/// The direct weight gradient (<see cref="DirectWeightGradient"/>) against the double-accumulating reference: output
/// widths on and off the 16-lane vector (so zero-padded row tails), every remainder of its 4 × 4 tile in K and in
/// C·KH·KW, padding 0–2, non-square kernels, batches split into parts and grouped images, with and without bias,
/// on one and two threads; a channel slice of a wider buffer; and the layers the rule must and must not send to it.
/// </summary>
[NonParallelizable]
public class DirectWeightGradientTests
{
    private const double Tolerance = 1e-5;
    private const float Sentinel = 42f;

    private static readonly Conv2dGeometry[] Cases =
    [
        new(N: 1, C: 1, H: 16, W: 16, K: 1, KH: 3, KW: 3, PadH: 1, PadW: 1),
        new(N: 3, C: 3, H: 17, W: 19, K: 5, KH: 3, KW: 3, PadH: 1, PadW: 1),
        new(N: 5, C: 16, H: 32, W: 32, K: 16, KH: 3, KW: 3, PadH: 1, PadW: 1),
        new(N: 4, C: 6, H: 19, W: 19, K: 7, KH: 3, KW: 3),
        new(N: 2, C: 5, H: 20, W: 33, K: 6, KH: 5, KW: 5, PadH: 2, PadW: 2),
        new(N: 3, C: 7, H: 9, W: 40, K: 9, KH: 1, KW: 3, PadH: 0, PadW: 1),
        new(N: 7, C: 2, H: 18, W: 18, K: 3, KH: 3, KW: 1, PadH: 2, PadW: 0),
        new(N: 9, C: 32, H: 16, W: 16, K: 10, KH: 3, KW: 3, PadH: 1, PadW: 1),
    ];

    [Test]
    public void EveryCaseMatchesTheReference([Values(1, 2)] int threads)
    {
        Assume.That(Vector512.IsHardwareAccelerated, "the direct weight gradient needs 512-bit vectors");
        Run(threads, () =>
        {
            foreach (var g in Cases)
            {
                Assert.That(DirectWeightGradient.Applies(new ConvPlan(g, GemmKernel.For(GemmKernels.Auto, "kernels"))), $"takes {g}");
                using var o = new ConvOperands(Cpu, g);
                var (expectedW, expectedB) = Ref.Conv2d.BackwardWeight(g, o.X, o.GradY);
                foreach (bool withBias in new[] { true, false })
                {
                    using var gw = Upload(Enumerable.Repeat(Sentinel, o.W.Length + 2).ToArray());
                    using var gb = Upload(Enumerable.Repeat(Sentinel, g.K + 2).ToArray());
                    Cpu.Conv2dBackwardWeight(g, View(o.DeviceX, 0, g.InputShape()), View(o.DeviceGradY, 0, g.OutputShape()),
                                             View(gw, 1, g.WeightShape()), withBias ? View(gb, 1, g.K) : null);
                    Compare(expectedW, Download(gw), $"{threads}t weight bias={withBias} {g}");
                    if (withBias) Compare(expectedB, Download(gb), $"{threads}t bias {g}");
                }
            }
        });
    }

    [Test]
    public void AChannelSliceOfAWiderBufferMatchesTheReference()
    {
        Assume.That(Vector512.IsHardwareAccelerated, "the direct weight gradient needs 512-bit vectors");
        var g = new Conv2dGeometry(N: 3, C: 12, H: 16, W: 16, K: 8, KH: 3, KW: 3, PadH: 1, PadW: 1);
        const int wide = 20, first = 5;
        var host = Random(g.N * wide * g.H * g.W, 21, -1f, 1f);
        var gy = Random(g.N * g.K * g.OutH * g.OutW, 22, -1f, 1f);
        var x = new float[g.N * g.C * g.H * g.W];
        for (int n = 0; n < g.N; n++)
            Array.Copy(host, (n * wide + first) * g.H * g.W, x, n * g.C * g.H * g.W, g.C * g.H * g.W);
        Run(2, () =>
        {
            using var bx = Upload(host);
            using var bgy = Upload(gy);
            using var gw = Upload(Enumerable.Repeat(Sentinel, g.K * g.C * 9 + 2).ToArray());
            var slice = new StridedView(bx, first * g.H * g.W, g.InputShape(), [wide * g.H * g.W, g.H * g.W, g.W, 1]);
            Cpu.Conv2dBackwardWeight(g, slice, View(bgy, 0, g.OutputShape()), View(gw, 1, g.WeightShape()), null);
            Compare(Ref.Conv2d.BackwardWeight(g, x, gy).Item1, Download(gw), "weight gradient from a channel slice");
        });
    }

    [Test]
    public void TheRuleTakesNarrowStrideOneLayersOnly()
    {
        var kernel = GemmKernel.For(GemmKernels.Auto, "kernels");
        bool Takes(Conv2dGeometry g) => DirectWeightGradient.Applies(new ConvPlan(g, kernel));
        var s1 = new Conv2dGeometry(N: 8, C: 16, H: 32, W: 32, K: 16, KH: 3, KW: 3, PadH: 1, PadW: 1);
        Assert.That(Takes(s1), Is.EqualTo(Vector512.IsHardwareAccelerated), "ResNet-20's first stage");
        Assert.That(Takes(s1 with { C = 128 }), Is.False, "too many taps for the direct kernel to win");
        Assert.That(Takes(s1 with { StrideH = 2, StrideW = 2 }), Is.False, "stride 2");
        Assert.That(Takes(s1 with { Groups = 2 }), Is.False, "groups");
        Assert.That(Takes(s1 with { DilationH = 2 }), Is.False, "dilation");
        Assert.That(Takes(s1 with { H = 8, W = 8 }), Is.False, "rows narrower than a vector");
        Assert.That(Takes(new(N: 8, C: 16, H: 32, W: 32, K: 16, KH: 1, KW: 1)), Is.False, "pointwise: the image is already the GEMM operand");
    }

    [Test]
    public void TheIm2colRouteGivesTheSameGradient()
    {
        Assume.That(Vector512.IsHardwareAccelerated, "the direct weight gradient needs 512-bit vectors");
        var g = Cases[2];
        using var o = new ConvOperands(Cpu, g);
        float[] Gradient(bool direct)
        {
            DirectWeightGradient.Enabled = direct;
            try
            {
                using var gw = Cpu.Allocate(o.W.Length);
                Cpu.Conv2dBackwardWeight(g, View(o.DeviceX, 0, g.InputShape()), View(o.DeviceGradY, 0, g.OutputShape()), View(gw, 0, g.WeightShape()), null);
                return Download(gw);
            }
            finally { DirectWeightGradient.Enabled = true; }
        }
        var (direct, lowered) = (Gradient(true), Gradient(false));
        double scale = lowered.Max(v => Math.Abs((double)v));
        Assert.That(direct.Zip(lowered, (a, b) => Math.Abs((double)a - b)).Max() / scale, Is.LessThan(Tolerance));
    }

    private static void Run(int threads, Action body)
    {
        int saved = Tensorlet.Threads.Count;
        try
        {
            Tensorlet.Threads.Count = threads;
            body();
        }
        finally { Tensorlet.Threads.Count = saved; }
    }

    private static void Compare(float[] expected, float[] padded, string what) =>
        ConvOperands.AssertMatches(expected, padded, Sentinel, Tolerance, what);
}
