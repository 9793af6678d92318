using Tensorlet.Kernels;
using static Tensorlet.Tests.Gpu.GpuTestKit;
using static Tensorlet.Tests.Kernels.KernelTestKit;

namespace Tensorlet.Tests.Gpu;

/// <summary>
/// The GPU convolution's own paths (batches run in chunks of images under a scratch budget, empty batches) against the
/// CPU backend; the grid of geometries runs on every backend in <c>Conformance/LayerConformanceTests</c>. Operands sit at
/// an offset in buffers with a tail, and outputs start out random, so a write outside an output or an accumulation into
/// it shows in the compared arrays. Inputs are in [−1, 1]; an output sums `terms` products, so we allow 2·10⁻⁶·terms
/// absolute error plus 10⁻⁵ relative.
/// </summary>
public class GpuConvolutionTests
{
    private const int Off = 3, Tail = 2;

    private static void ForwardMatchesCpu(Conv2dGeometry g)
    {
        foreach (bool withBias in new[] { true, false })
            AssertSameOnBoth($"forward {g} bias={withBias}", [Padded(Input(g), 1), Padded(Weight(g), 2), Padded(g.K, 3), Padded(Output(g), 4)],
                             (b, m) => b.Conv2d(g, View(m[0], Off, g.InputShape()), View(m[1], Off, g.WeightShape()), withBias ? View(m[2], Off, g.K) : null,
                                                 View(m[3], Off, g.OutputShape())),
                             rtol: 1e-5, atol: 2e-6 * (g.GroupC * g.KH * g.KW + 1));
    }

    private static void BackwardInputMatchesCpu(Conv2dGeometry g)
    {
        AssertSameOnBoth($"backward input {g}", [Padded(Output(g), 5), Padded(Weight(g), 6), Padded(Input(g), 7)],
                         (b, m) => b.Conv2dBackwardInput(g, View(m[0], Off, g.OutputShape()), View(m[1], Off, g.WeightShape()), View(m[2], Off, g.InputShape())),
                         rtol: 1e-5, atol: 2e-6 * g.GroupK * g.KH * g.KW);
    }

    private static void BackwardWeightMatchesCpu(Conv2dGeometry g)
    {
        foreach (bool withBias in new[] { true, false })
            AssertSameOnBoth($"backward weight {g} bias={withBias}",
                             [Padded(Input(g), 8), Padded(Output(g), 9), Padded(Weight(g), 10), Padded(g.K, 11)],
                             (b, m) => b.Conv2dBackwardWeight(g, View(m[0], Off, g.InputShape()), View(m[1], Off, g.OutputShape()), View(m[2], Off, g.WeightShape()),
                                                               withBias ? View(m[3], Off, g.K) : null),
                             rtol: 1e-5, atol: 2e-6 * Math.Max(1, g.N * g.OutH * g.OutW));
    }

    /// <summary>
    /// Batches larger than the scratch budget run in chunks of images; a chunk of several images sums the weight gradient
    /// in per-image slots, a last chunk shorter than the others leaves some slots as they were, and a chunk of one image
    /// accumulates straight into the gradient. Each budget below picks one of those paths.
    /// </summary>
    [Test]
    public void ChunkedBatchesMatchCpu([Values(1, 2, 4)] int imagesPerChunk)
    {
        var g = new Conv2dGeometry(N: 5, C: 4, H: 6, W: 6, K: 6, KH: 3, KW: 3, PadH: 1, PadW: 1, Groups: 2);
        int saved = GpuTestKit.TestGpu.ConvolutionScratchFloats;
        // Weight gradients also hold a slot of K·Cg·KH·KW partial sums per image, on top of the lowered image.
        long column = (long)g.C * g.KH * g.KW * g.OutH * g.OutW, slot = g.K * g.GroupC * g.KH * g.KW;
        try
        {
            GpuTestKit.TestGpu.ConvolutionScratchFloats = (int)(imagesPerChunk * column);
            ForwardMatchesCpu(g);
            BackwardInputMatchesCpu(g);
            GpuTestKit.TestGpu.ConvolutionScratchFloats = (int)(imagesPerChunk * (column + slot));
            BackwardWeightMatchesCpu(g);
            BackwardWeightMatchesCpu(g with { KH = 1, KW = 1, PadH = 0, PadW = 0 });
        }
        finally { GpuTestKit.TestGpu.ConvolutionScratchFloats = saved; }
    }

    [Test]
    public void EmptyBatchZeroesGradientsAndWritesNothingElse()
    {
        var g = new Conv2dGeometry(N: 0, C: 4, H: 5, W: 5, K: 6, KH: 3, KW: 3, Groups: 2);
        ForwardMatchesCpu(g);
        BackwardInputMatchesCpu(g);
        BackwardWeightMatchesCpu(g);
        var gw = Run(GpuTestKit.TestGpu, [Padded(Input(g), 1), Padded(Output(g), 2), Padded(Weight(g), 3), Padded(g.K, 4)],
                     (b, m) => b.Conv2dBackwardWeight(g, View(m[0], Off, g.InputShape()), View(m[1], Off, g.OutputShape()), View(m[2], Off, g.WeightShape()),
                                                       View(m[3], Off, g.K)));
        Assert.That(gw[2].Skip(Off).Take(Weight(g)), Is.All.EqualTo(0f));
        Assert.That(gw[3].Skip(Off).Take(g.K), Is.All.EqualTo(0f));
    }

    private static int Input(in Conv2dGeometry g) => g.N * g.C * g.H * g.W;
    private static int Output(in Conv2dGeometry g) => g.N * g.K * g.OutH * g.OutW;
    private static int Weight(in Conv2dGeometry g) => g.K * g.GroupC * g.KH * g.KW;

    // An operand of `count` floats at offset Off with a tail after it, all random: inputs and outputs alike, since an
    // output that starts as garbage catches a kernel that accumulates instead of overwriting.
    private static float[] Padded(int count, int seed) => Random(Off + count + Tail, seed, -1f, 1f);
}
