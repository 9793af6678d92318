using Tensorlet.Kernels;
using Tensorlet.Kernels.Cpu;
using Tensorlet.Kernels.Cpu.Conv;
using Ref = Tensorlet.Kernels.Reference;
using Tensorlet.Tests.Gpu;
using static Tensorlet.Tests.Kernels.KernelTestKit;

namespace Tensorlet.Tests.Kernels;

/// <summary>
/// Winograd F(2×2, 3×3), pinned on with <see cref="CpuConvolution.Algorithm"/>, against the double-accumulating
/// reference: forward (with and without bias), input gradient and weight (and bias) gradient, with every GEMM micro-kernel this CPU runs (so both
/// the 512-bit and the <c>Vector&lt;float&gt;</c> transforms), on one and two threads. Its error grows with the
/// transforms' sums, so it is held to 1e-4 of the largest output rather than element by element.
/// </summary>
[NonParallelizable]
public class WinogradConvolutionTests
{
    private const double Tolerance = 1e-4;
    private const float Sentinel = 42f;

    // Odd and even sizes, 1×1 images, each padding 0–2 (also mixed), channel counts off every vector width and tile
    // height, batches of 1 and 3 (so chunks of tiles run across images), and C past the GEMM's k block.
    private static readonly Conv2dGeometry[] Cases =
    [
        new(N: 1, C: 5, H: 7, W: 9, K: 7, KH: 3, KW: 3, PadH: 1, PadW: 1),
        new(N: 3, C: 19, H: 8, W: 8, K: 21, KH: 3, KW: 3, PadH: 1, PadW: 1),
        new(N: 3, C: 3, H: 1, W: 1, K: 2, KH: 3, KW: 3, PadH: 1, PadW: 1),
        new(N: 1, C: 4, H: 1, W: 1, K: 9, KH: 3, KW: 3, PadH: 2, PadW: 2),
        new(N: 3, C: 6, H: 5, W: 6, K: 17, KH: 3, KW: 3),
        new(N: 1, C: 33, H: 10, W: 11, K: 13, KH: 3, KW: 3, PadH: 2, PadW: 2),
        new(N: 3, C: 9, H: 6, W: 13, K: 5, KH: 3, KW: 3, PadH: 0, PadW: 2),
        new(N: 3, C: 17, H: 11, W: 4, K: 40, KH: 3, KW: 3, PadH: 2, PadW: 1),
        new(N: 3, C: 8, H: 32, W: 32, K: 8, KH: 3, KW: 3, PadH: 1, PadW: 1),
        new(N: 1, C: 300, H: 5, W: 6, K: 9, KH: 3, KW: 3, PadH: 1, PadW: 1),
    ];

    [TestCaseSource(typeof(ConvolutionKernelVariantTests), nameof(ConvolutionKernelVariantTests.KernelCases))]
    public void EveryPassMatchesReference(GemmKernels kernel, int threads)
    {
        using var backend = new CpuBackend(kernel);
        Pinned(ConvAlgorithms.Winograd, threads, () =>
        {
            foreach (var g in Cases)
            {
                Assert.That(WinogradConv.Chosen(g) && WinogradConv.Chosen(ConvBackwardInput.Transposed(g)!.Value), $"Winograd takes {g}");
                Check(backend, g, $"{kernel} {threads}t {g}");
            }
        });
    }

    // The transforms' shortcuts: rows of tiles a whole number of vectors, half or quarter vectors wide (32, 16, 8, 4
    // tiles for the 512-bit lanes; 16, 8, 4, 2 for 256-bit ones) go straight from the patch rows into V, and where the
    // output is even and a chunk whole vectors (48 tiles split by two threads is not) from M into y; with odd outputs
    // overhanging, 1-row maps, padding 0, 1 and 2; and batches with more images than a thread's ring keeps, whose later images reuse a
    // slot's border (1×1 and 3×3 maps, 40 images, so even a tile per image runs past the ring).
    private static readonly Conv2dGeometry[] WalkCases =
    [
        new(N: 4, C: 3, H: 32, W: 32, K: 8, KH: 3, KW: 3, PadH: 1, PadW: 1),
        new(N: 5, C: 2, H: 31, W: 31, K: 9, KH: 3, KW: 3, PadH: 1, PadW: 1),
        new(N: 2, C: 2, H: 1, W: 64, K: 8, KH: 3, KW: 3, PadH: 1, PadW: 1),
        new(N: 3, C: 2, H: 2, W: 30, K: 8, KH: 3, KW: 3, PadH: 2, PadW: 2),
        new(N: 1, C: 4, H: 16, W: 32, K: 8, KH: 3, KW: 3, PadH: 1, PadW: 1),
        new(N: 3, C: 3, H: 16, W: 15, K: 8, KH: 3, KW: 3, PadH: 1, PadW: 1),
        new(N: 5, C: 2, H: 7, W: 8, K: 8, KH: 3, KW: 3, PadH: 1, PadW: 1),
        new(N: 3, C: 3, H: 16, W: 16, K: 8, KH: 3, KW: 3, PadH: 1, PadW: 1),
        new(N: 3, C: 2, H: 8, W: 8, K: 8, KH: 3, KW: 3, PadH: 1, PadW: 1),
        new(N: 2, C: 2, H: 10, W: 10, K: 8, KH: 3, KW: 3, PadH: 0, PadW: 0),
        new(N: 2, C: 3, H: 5, W: 4, K: 8, KH: 3, KW: 3, PadH: 0, PadW: 2),
        new(N: 40, C: 2, H: 1, W: 1, K: 8, KH: 3, KW: 3, PadH: 1, PadW: 1),
        new(N: 40, C: 2, H: 3, W: 3, K: 8, KH: 3, KW: 3, PadH: 0, PadW: 0),
    ];

    [TestCaseSource(typeof(ConvolutionKernelVariantTests), nameof(ConvolutionKernelVariantTests.KernelCases))]
    public void DirectRowsAndReusedBordersMatchReference(GemmKernels kernel, int threads)
    {
        using var backend = new CpuBackend(kernel);
        Pinned(ConvAlgorithms.Winograd, threads, () =>
        {
            foreach (var g in WalkCases) Check(backend, g, $"{kernel} {threads}t {g}");
        });
    }

    [Test]
    public void TheLayerCasesMatchReference()
    {
        // Cases b–d of the benchmark (channels 64–256, 8×8 to 32×32), which Auto sends to Winograd at the benchmark's
        // batch of 32, and ResNet-20's 16-channel layer, whose weight gradient Auto leaves to im2col while the other
        // passes take Winograd (at batch 64). Computed at a batch of 1–3 to stay quick, pinned to Winograd there:
        // Auto leaves so few tiles to im2col.
        Conv2dGeometry[] layers =
        [
            new(N: 2, C: 16, H: 32, W: 32, K: 16, KH: 3, KW: 3, PadH: 1, PadW: 1),
            new(N: 1, C: 64, H: 32, W: 32, K: 64, KH: 3, KW: 3, PadH: 1, PadW: 1),
            new(N: 2, C: 128, H: 16, W: 16, K: 128, KH: 3, KW: 3, PadH: 1, PadW: 1),
            new(N: 3, C: 256, H: 8, W: 8, K: 256, KH: 3, KW: 3, PadH: 1, PadW: 1),
        ];
        Pinned(ConvAlgorithms.Auto, 2, () =>
        {
            foreach (var g in layers)
                Assert.That(WinogradConv.Chosen(g with { N = g.C == 16 ? 64 : 32 }), $"Auto takes Winograd for {g} at the benchmark's batch");
        });
        Pinned(ConvAlgorithms.Winograd, 2, () =>
        {
            foreach (var g in layers) Check((CpuBackend)Cpu, g, $"winograd {g}");
        });
    }

    [Test]
    public void AutoKeepsIm2colWhereWinogradDoesNotPayOrApply()
    {
        Pinned(ConvAlgorithms.Auto, 1, () =>
        {
            Assert.That(WinogradConv.Chosen(new(N: 8, C: 8, H: 32, W: 32, K: 64, KH: 3, KW: 3, PadH: 1, PadW: 1)), Is.False, "few input channels");
            // ResNet-20's first stage: forward and input gradient by Winograd, the weight gradient (which loses there) by im2col.
            var stage1 = new Conv2dGeometry(N: 8, C: 16, H: 32, W: 32, K: 16, KH: 3, KW: 3, PadH: 1, PadW: 1);
            Assert.That(WinogradConv.Chosen(stage1), "16 channels, forward");
            Assert.That(WinogradConv.ChosenForWeightGradient(stage1), Is.False, "16 channels, weight gradient");
            Assert.That(WinogradConv.ChosenForWeightGradient(stage1 with { C = 32 }), Is.False, "32 channels, weight gradient");
            Assert.That(WinogradConv.ChosenForWeightGradient(stage1 with { C = 64 }), "64 channels, weight gradient");
            Assert.That(WinogradConv.Chosen(new(N: 8, C: 48, H: 32, W: 32, K: 12, KH: 3, KW: 3, PadH: 1, PadW: 1)), "few output channels");
            var big = new Conv2dGeometry(N: 8, C: 64, H: 32, W: 32, K: 64, KH: 3, KW: 3, PadH: 1, PadW: 1);
            Assert.That(WinogradConv.Chosen(big with { StrideH = 2, StrideW = 2 }), Is.False, "stride 2");
            Assert.That(WinogradConv.Chosen(big with { Groups = 2 }), Is.False, "groups");
            Assert.That(WinogradConv.Chosen(big with { DilationH = 2 }), Is.False, "dilation");
            Assert.That(WinogradConv.Chosen(big with { KH = 5, KW = 5 }), Is.False, "5×5");
            Assert.That(WinogradConv.Chosen(big with { PadH = 3, PadW = 3 }), Is.False, "padding 3");
            // Few tiles over the batch: VGG-11's 512-channel layers at batch 64 (2×2 and 4×4 outputs: 64 and 256 tiles)
            // stay with im2col in every pass; at batch 128 the 4×4 layer has 512 tiles and takes Winograd.
            var vgg = new Conv2dGeometry(N: 64, C: 512, H: 2, W: 2, K: 512, KH: 3, KW: 3, PadH: 1, PadW: 1);
            Assert.That(WinogradConv.Tiles(vgg), Is.EqualTo(64));
            Assert.That(WinogradConv.Chosen(vgg) || WinogradConv.ChosenForWeightGradient(vgg), Is.False, "64 tiles");
            Assert.That(WinogradConv.Chosen(vgg with { H = 4, W = 4 }) || WinogradConv.ChosenForWeightGradient(vgg with { H = 4, W = 4 }), Is.False, "256 tiles");
            Assert.That(WinogradConv.Chosen(vgg with { N = 128, H = 4, W = 4 }) && WinogradConv.ChosenForWeightGradient(vgg with { N = 128, H = 4, W = 4 }), "512 tiles");
            // An odd output rounds its last tile up: 3×3 outputs are 2×2 tiles.
            Assert.That(WinogradConv.Tiles(vgg with { N = 1, H = 3, W = 5 }), Is.EqualTo(2 * 3));
        });
        Pinned(ConvAlgorithms.Im2col, 1, () =>
            Assert.That(WinogradConv.Chosen(new(N: 8, C: 64, H: 32, W: 32, K: 64, KH: 3, KW: 3, PadH: 1, PadW: 1)), Is.False, "pinned to im2col"));
    }

    [Test]
    public void AnUndefinedAlgorithmIsRefusedByName()
    {
        var before = CpuConvolution.Algorithm;
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => CpuConvolution.Algorithm = (ConvAlgorithms)7)!;
        Assert.That(ex.Message, Does.Contain("Convolution algorithm 7").And.Contain("Auto, Im2col, Winograd"));
        Assert.That(CpuConvolution.Algorithm, Is.EqualTo(before), "a refused value leaves the setting alone");
    }

    [Test]
    public void AnEmptyBatchHasZeroWeightGradients()
    {
        var g = new Conv2dGeometry(N: 0, C: 4, H: 5, W: 5, K: 3, KH: 3, KW: 3, PadH: 1, PadW: 1);
        Pinned(ConvAlgorithms.Winograd, 2, () =>
        {
            using var x = Cpu.Allocate(1);
            using var gy = Cpu.Allocate(1);
            using var gw = Upload(Enumerable.Repeat(Sentinel, 3 * 4 * 9).ToArray());
            using var gb = Upload([Sentinel, Sentinel, Sentinel]);
            Cpu.Conv2dBackwardWeight(g, View(x, 0, g.InputShape()), View(gy, 0, g.OutputShape()), View(gw, 0, g.WeightShape()), View(gb, 0, g.K));
            Assert.That(Download(gw).Concat(Download(gb)), Is.All.EqualTo(0f));
        });
    }

    [Test]
    public void TheEnvironmentVariableNamesTheStartingAlgorithm()
    {
        string? saved = Environment.GetEnvironmentVariable(CpuConvolution.AlgorithmVariable);
        try
        {
            foreach (var (text, expected) in new[] { ("", ConvAlgorithms.Auto), ("winograd", ConvAlgorithms.Winograd), (" IM2COL ", ConvAlgorithms.Im2col) })
            {
                Environment.SetEnvironmentVariable(CpuConvolution.AlgorithmVariable, text);
                Assert.That(CpuConvolution.FromEnvironment(), Is.EqualTo(expected), $"'{text}'");
            }
            foreach (var text in new[] { "fft", "2" })
            {
                Environment.SetEnvironmentVariable(CpuConvolution.AlgorithmVariable, text);
                var ex = Assert.Throws<InvalidOperationException>(() => CpuConvolution.FromEnvironment())!;
                Assert.That(ex.Message, Does.Contain($"TENSORLET_CONV_ALGORITHM='{text}'").And.Contain("Auto, Im2col, Winograd"));
            }
        }
        finally { Environment.SetEnvironmentVariable(CpuConvolution.AlgorithmVariable, saved); }
    }

    [Test]
    public void TheThreadCountDoesNotChangeTheBits()
    {
        // 960 tiles (a thread takes at least a chunk, up to 288 tiles): two threads split them at an image edge, three
        // mid-image; every tile's sums stay the same. On the even 16×16 maps (1472 tiles) one thread transforms whole
        // vectors of tiles straight from the rows and into y, while three and five split them off vector boundaries and
        // stage some: all must give the same bits.
        Conv2dGeometry[] shapes =
        [
            new(N: 4, C: 12, H: 31, W: 29, K: 10, KH: 3, KW: 3, PadH: 1, PadW: 1),
            new(N: 23, C: 3, H: 16, W: 16, K: 9, KH: 3, KW: 3, PadH: 1, PadW: 1),
        ];
        foreach (var g in shapes)
        {
            var x = Random(g.N * g.C * g.H * g.W, 5, -1f, 1f);
            var w = Random(g.K * g.C * 9, 6, -1f, 1f);
            var b = Random(g.K, 7, -1f, 1f);
            float[] Forward(int threads)
            {
                float[] result = [];
                Pinned(ConvAlgorithms.Winograd, threads, () =>
                {
                    using var bx = Upload(x);
                    using var bw = Upload(w);
                    using var bb = Upload(b);
                    using var by = Cpu.Allocate(g.N * g.K * g.OutH * g.OutW);
                    Cpu.Conv2d(g, View(bx, 0, g.InputShape()), View(bw, 0, g.WeightShape()), View(bb, 0, g.K), View(by, 0, g.OutputShape()));
                    result = Download(by);
                });
                return result;
            }
            var one = Forward(1);
            foreach (int threads in new[] { 2, 3, 5 }) Assert.That(Forward(threads), Is.EqualTo(one), $"{threads} threads, {g}");
        }
    }

    /// <summary>
    /// Winograd walks the batch as one array; a channel slice of a wider buffer (images not back to back, as a dense
    /// block's layers read) must still give the reference's result with Winograd pinned — by the routes that take it.
    /// </summary>
    [Test]
    public void AChannelSliceWithWinogradPinnedMatchesTheReference()
    {
        var g = new Conv2dGeometry(N: 2, C: 32, H: 6, W: 6, K: 8, KH: 3, KW: 3, PadH: 1, PadW: 1);
        const int wide = 40, first = 3;
        var host = Random(g.N * wide * g.H * g.W, 11);
        var w = Random(g.K * g.C * 9, 12);
        var gy = Random(g.N * g.K * g.OutH * g.OutW, 13);
        var x = new float[g.N * g.C * g.H * g.W]; // the slice, dense, for the reference
        for (int n = 0; n < g.N; n++)
            Array.Copy(host, (n * wide + first) * g.H * g.W, x, n * g.C * g.H * g.W, g.C * g.H * g.W);
        Pinned(ConvAlgorithms.Winograd, 2, () =>
        {
            using var bx = Upload(host);
            using var bw = Upload(w);
            using var bgy = Upload(gy);
            var slice = new StridedView(bx, first * g.H * g.W, g.InputShape(), [wide * g.H * g.W, g.H * g.W, g.W, 1]);
            using var by = Upload(Enumerable.Repeat(Sentinel, gy.Length + 2).ToArray());
            Cpu.Conv2d(g, slice, View(bw, 0, g.WeightShape()), null, View(by, 1, g.OutputShape()));
            Compare(Ref.Conv2d.Forward(g, x, w, null), Download(by), "forward from a channel slice");
            using var bgw = Upload(Enumerable.Repeat(Sentinel, w.Length + 2).ToArray());
            Cpu.Conv2dBackwardWeight(g, slice, View(bgy, 0, g.OutputShape()), View(bgw, 1, g.WeightShape()), null);
            Compare(Ref.Conv2d.BackwardWeight(g, x, gy).Item1, Download(bgw), "weight gradient from a channel slice");
        });
    }

    private static void Pinned(ConvAlgorithms algorithm, int threads, Action body)
    {
        var savedAlgorithm = CpuConvolution.Algorithm;
        int savedThreads = Tensorlet.Threads.Count;
        try
        {
            CpuConvolution.Algorithm = algorithm;
            Tensorlet.Threads.Count = threads;
            body();
        }
        finally
        {
            CpuConvolution.Algorithm = savedAlgorithm;
            Tensorlet.Threads.Count = savedThreads;
        }
    }

    private static void Check(CpuBackend cpu, in Conv2dGeometry g, string what)
    {
        using var o = new ConvOperands(cpu, g);
        var (x, w, b, gy) = (o.X, o.W, o.B, o.GradY);
        var (bx, bw, bb, bgy) = (o.DeviceX, o.DeviceW, o.DeviceB, o.DeviceGradY);
        foreach (bool withBias in new[] { true, false })
        {
            // The output sits between sentinels, so a clipped edge tile that wrote past the operand shows.
            using var by = GpuTestKit.Upload(cpu, Enumerable.Repeat(Sentinel, gy.Length + 2).ToArray());
            cpu.Conv2d(g, View(bx, 0, g.InputShape()), View(bw, 0, g.WeightShape()), withBias ? View(bb, 0, g.K) : null, View(by, 1, g.OutputShape()));
            Compare(Ref.Conv2d.Forward(g, x, w, withBias ? b : null), GpuTestKit.Download(cpu, by), $"forward bias={withBias} {what}");
        }
        using var bgx = GpuTestKit.Upload(cpu, Enumerable.Repeat(Sentinel, x.Length + 2).ToArray());
        cpu.Conv2dBackwardInput(g, View(bgy, 0, g.OutputShape()), View(bw, 0, g.WeightShape()), View(bgx, 1, g.InputShape()));
        Compare(Ref.Conv2d.BackwardInput(g, gy, w), GpuTestKit.Download(cpu, bgx), $"backward input {what}");
        var (expectedW, expectedB) = Ref.Conv2d.BackwardWeight(g, x, gy);
        foreach (bool withBias in new[] { true, false })
        {
            using var bgw = GpuTestKit.Upload(cpu, Enumerable.Repeat(Sentinel, w.Length + 2).ToArray());
            using var bgb = GpuTestKit.Upload(cpu, Enumerable.Repeat(Sentinel, b.Length + 2).ToArray());
            cpu.Conv2dBackwardWeight(g, View(bx, 0, g.InputShape()), View(bgy, 0, g.OutputShape()), View(bgw, 1, g.WeightShape()),
                                     withBias ? View(bgb, 1, g.K) : null);
            Compare(expectedW, GpuTestKit.Download(cpu, bgw), $"backward weight bias={withBias} {what}");
            if (withBias) Compare(expectedB, GpuTestKit.Download(cpu, bgb), $"backward bias {what}");
        }
    }

    private static void Compare(float[] expected, float[] padded, string what) =>
        ConvOperands.AssertMatches(expected, padded, Sentinel, Tolerance, what);
}
