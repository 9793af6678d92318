using Tensorlet.Kernels;
using Tensorlet.Kernels.Cpu;
using Tensorlet.Kernels.Cpu.Conv;
using Tensorlet.Kernels.Cpu.Gemm;
using Ref = Tensorlet.Kernels.Reference;
using Tensorlet.Tests.Gpu;
using static Tensorlet.Tests.Kernels.KernelTestKit;

namespace Tensorlet.Tests.Kernels;

/// <summary>
/// Every convolution pass with every GEMM micro-kernel this CPU runs (a <see cref="CpuBackend"/> built with that
/// <see cref="GemmKernels"/> choice), on one and two threads, against the double-accumulating reference: the
/// fused forward packs its panels to the kernel's tile, so each tile size meets its own edges here.
/// </summary>
public class ConvolutionKernelVariantTests
{
    // Declared before Extra, which includes them (static fields initialise in text order).
    public static readonly Conv2dGeometry[] DirectCases =
    [
        new(N: 2, C: 32, H: 16, W: 16, K: 32, KH: 3, KW: 3, PadH: 1, PadW: 1, Groups: 8),
        new(N: 3, C: 6, H: 9, W: 20, K: 10, KH: 3, KW: 3, PadH: 1, PadW: 1, Groups: 2),
        new(N: 2, C: 2, H: 12, W: 12, K: 4, KH: 3, KW: 3, DilationH: 2, DilationW: 2, PadH: 2, PadW: 2),
        new(N: 1, C: 2, H: 20, W: 21, K: 3, KH: 5, KW: 5),
        new(N: 2, C: 3, H: 11, W: 33, K: 7, KH: 3, KW: 1, PadH: 1),
        // 8-channel tiles: one full, one with 4 of its channels real.
        new(N: 2, C: 3, H: 10, W: 18, K: 12, KH: 3, KW: 3, PadH: 1, PadW: 1),
    ];

    // Whole input planes of at most 16 floats and 4, 8 or 16 output positions: lowered by one permute per row
    // (SmallPlaneGather), in the fused forward (batches of two or more) and in im2col (one image; weight gradients).
    public static readonly Conv2dGeometry[] SmallPlaneCases =
    [
        new(N: 4, C: 20, H: 4, W: 4, K: 10, KH: 3, KW: 3, PadH: 1, PadW: 1),
        new(N: 6, C: 12, H: 2, W: 2, K: 9, KH: 3, KW: 3, PadH: 1, PadW: 1),
        new(N: 3, C: 5, H: 4, W: 4, K: 7, KH: 3, KW: 3, StrideH: 2, StrideW: 2, PadH: 1, PadW: 1),
        new(N: 2, C: 6, H: 4, W: 2, K: 5, KH: 3, KW: 3, PadH: 1, PadW: 1),
        new(N: 2, C: 4, H: 4, W: 4, K: 3, KH: 3, KW: 3, DilationH: 2, DilationW: 2, PadH: 2, PadW: 2),
        new(N: 1, C: 8, H: 4, W: 4, K: 8, KH: 3, KW: 3, PadH: 1, PadW: 1),
        new(N: 3, C: 8, H: 4, W: 4, K: 6, KH: 3, KW: 3, PadH: 1, PadW: 1, Groups: 2),
        // Rows cut into several k slices part way through a channel's taps.
        new(N: 3, C: 300, H: 4, W: 4, K: 20, KH: 3, KW: 3, PadH: 1, PadW: 1),
    ];

    // Beyond the shared cases: channel counts on and off every tile height (4, 6, 8), batches that take the fused
    // forward on two threads, and images whose output rows straddle several 16/48-column panels.
    private static readonly Conv2dGeometry[] Extra =
    [
        new(N: 4, C: 3, H: 13, W: 13, K: 16, KH: 3, KW: 3, PadH: 1, PadW: 1),
        new(N: 2, C: 16, H: 10, W: 10, K: 16, KH: 3, KW: 3, PadH: 1, PadW: 1),
        new(N: 3, C: 24, H: 7, W: 9, K: 26, KH: 3, KW: 3, StrideH: 2, StrideW: 2, PadH: 1, PadW: 1),
        new(N: 2, C: 32, H: 6, W: 6, K: 32, KH: 3, KW: 3, PadH: 1, PadW: 1, Groups: 8),
        new(N: 2, C: 12, H: 9, W: 9, K: 50, KH: 1, KW: 1),
        new(N: 5, C: 8, H: 11, W: 11, K: 9, KH: 3, KW: 3, DilationH: 2, DilationW: 2, PadH: 2, PadW: 2),
        // The direct kernel (stride 1, Cg·KH·KW ≤ 64): whole 16-column chunks, a partial last chunk, an odd last
        // row, Kg not a multiple of its 4 channels, dilation, no padding.
        .. DirectCases,
        .. SmallPlaneCases,
    ];

    [Test]
    public void DirectCasesTakeTheDirectKernel()
    {
        // Without this, a change to DirectConv.Applies could silently leave the direct kernel untested.
        if (!Sgemm.IsSupported(GemmKernels.Avx512)) return;
        foreach (var g in DirectCases)
            Assert.That(DirectConv.Applies(new ConvPlan(g, GemmKernel.Avx512)), $"{g}");
        Assert.That(DirectConv.Applies(new ConvPlan(DirectCases[0], GemmKernel.Avx2)), Is.False);
    }

    [Test]
    public void SmallPlaneCasesTakeTheGather()
    {
        if (!System.Runtime.Intrinsics.X86.Avx512F.IsSupported) return;
        foreach (var g in SmallPlaneCases)
        {
            var plan = new ConvPlan(g, GemmKernel.Avx512);
            Assert.That(plan.Gather, Is.Not.Null, $"{g}");
            Assert.That(LoweredGemm.GatherFor(plan), Is.Not.Null, $"{g}");
        }
        // A plane of 25 floats does not fit a register.
        Assert.That(new ConvPlan(new Conv2dGeometry(N: 2, C: 4, H: 5, W: 5, K: 4, KH: 3, KW: 3, PadH: 1, PadW: 1), GemmKernel.Avx512).Gather, Is.Null);
    }

    /// <summary>Every micro-kernel this CPU runs, on one and two threads (the Winograd tests take them too).</summary>
    internal static IEnumerable<TestCaseData> KernelCases() =>
        from kernel in Enum.GetValues<GemmKernels>()
        where kernel != GemmKernels.Auto && Sgemm.IsSupported(kernel)
        from threads in new[] { 1, 2 }
        select new TestCaseData(kernel, threads).SetName($"Conv_{kernel}_{threads}threads");

    [TestCaseSource(nameof(KernelCases))]
    public void EveryPassMatchesReference(GemmKernels kernel, int threads)
    {
        int saved = Tensorlet.Threads.Count;
        using var backend = new CpuBackend(kernel);
        try
        {
            Tensorlet.Threads.Count = threads;
            foreach (var g in ConvolutionKernelTests.Cases.Concat(Extra)) CheckAll(backend, g, $"{kernel} {threads}t {g}");
        }
        finally { Tensorlet.Threads.Count = saved; }
    }

    [Test]
    public void BuffersOfAnotherCpuBackendAreRefusedByName()
    {
        // A backend with a forced kernel has its own pool; the error must tell the two CPU backends apart.
        using var portable = new CpuBackend(GemmKernels.Portable);
        Assert.That(portable.Name, Is.EqualTo("cpu (Portable)"));
        var g = new Conv2dGeometry(N: 1, C: 1, H: 3, W: 3, K: 1, KH: 1, KW: 1);
        using var x = Cpu.Allocate(9);
        using var w = portable.Allocate(1);
        using var y = portable.Allocate(9);
        var ex = Assert.Throws<ArgumentException>(() => portable.Conv2d(g, View(x, 0, g.InputShape()), View(w, 0, g.WeightShape()), null,
                                                                         View(y, 0, g.OutputShape())))!;
        Assert.That(ex.Message, Does.Contain("'x'").And.Contain("backend 'cpu', not 'cpu (Portable)'"));
    }

    private static void CheckAll(CpuBackend cpu, in Conv2dGeometry g, string what)
    {
        using var o = new ConvOperands(cpu, g);
        var (x, w, b, gy) = (o.X, o.W, o.B, o.GradY);
        var (bx, bw, bb, bgy) = (o.DeviceX, o.DeviceW, o.DeviceB, o.DeviceGradY);
        using var by = cpu.Allocate(gy.Length);
        using var bgx = cpu.Allocate(x.Length);
        using var bgw = cpu.Allocate(w.Length);
        using var bgb = cpu.Allocate(b.Length);

        StridedView vx = View(bx, 0, g.InputShape()), vw = View(bw, 0, g.WeightShape()), vgy = View(bgy, 0, g.OutputShape());
        cpu.Conv2d(g, vx, vw, View(bb, 0, g.K), View(by, 0, g.OutputShape()));
        AssertClose(Ref.Conv2d.Forward(g, x, w, b), GpuTestKit.Download(cpu, by), 1e-5, 1e-4, $"forward {what}");
        cpu.Conv2dBackwardInput(g, vgy, vw, View(bgx, 0, g.InputShape()));
        AssertClose(Ref.Conv2d.BackwardInput(g, gy, w), GpuTestKit.Download(cpu, bgx), 1e-5, 1e-4, $"backward input {what}");
        cpu.Conv2dBackwardWeight(g, vx, vgy, View(bgw, 0, g.WeightShape()), View(bgb, 0, g.K));
        var (expectedW, expectedB) = Ref.Conv2d.BackwardWeight(g, x, gy);
        AssertClose(expectedW, GpuTestKit.Download(cpu, bgw), 1e-5, 1e-4, $"backward weight {what}");
        AssertClose(expectedB, GpuTestKit.Download(cpu, bgb), 1e-5, 1e-4, $"backward bias {what}");
    }
}
