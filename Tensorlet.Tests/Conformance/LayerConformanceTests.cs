using Tensorlet.Kernels;
using static Tensorlet.Tests.Conformance.ConformanceKit;
using static Tensorlet.Tests.Kernels.KernelTestKit;

namespace Tensorlet.Tests.Conformance;

/// <summary>
/// Convolution (forward, both gradients, unfold and fold), pooling (max with ties and NaN, average with and without
/// counted padding, ceil mode, adaptive bins that overlap), batch norm (training and evaluation, with and without affine
/// parameters) and dropout masks on every backend against the reference.
/// </summary>
public class LayerConformanceTests(string device) : BackendFixture(device)
{
    /// <summary>Geometries that take each path of the CPU and GPU convolutions (see the comments), plus the degenerate ones.</summary>
    public static readonly Conv2dGeometry[] Convolutions =
    [
        // ResNet basic block 3×3 and its stride-2 downsampling, and the 7×7 stride-2 stem.
        new(N: 2, C: 8, H: 8, W: 8, K: 8, KH: 3, KW: 3, PadH: 1, PadW: 1),
        new(N: 1, C: 4, H: 9, W: 9, K: 8, KH: 3, KW: 3, StrideH: 2, StrideW: 2, PadH: 1, PadW: 1),
        new(N: 1, C: 3, H: 15, W: 13, K: 4, KH: 7, KW: 7, StrideH: 2, StrideW: 2, PadH: 3, PadW: 3),
        new(N: 3, C: 3, H: 7, W: 6, K: 5, KH: 3, KW: 3),
        new(N: 2, C: 3, H: 11, W: 9, K: 3, KH: 3, KW: 5, StrideH: 2, StrideW: 3, PadH: 1, PadW: 2),
        new(N: 1, C: 2, H: 10, W: 9, K: 3, KH: 3, KW: 2, DilationH: 2, DilationW: 3, PadH: 2, PadW: 1),
        new(N: 2, C: 6, H: 6, W: 7, K: 4, KH: 3, KW: 3, PadH: 1, PadW: 1, Groups: 2),
        new(N: 2, C: 4, H: 11, W: 10, K: 6, KH: 3, KW: 3, StrideH: 2, StrideW: 2, PadH: 2, PadW: 1, DilationH: 2, DilationW: 2, Groups: 2),
        // Depthwise (groups = channels), plain and with a channel multiplier of 2.
        new(N: 3, C: 5, H: 7, W: 9, K: 5, KH: 3, KW: 3, StrideH: 2, StrideW: 2, PadH: 1, PadW: 1, Groups: 5),
        new(N: 1, C: 4, H: 6, W: 6, K: 8, KH: 5, KW: 5, PadH: 2, PadW: 2, Groups: 4),
        // Pointwise (straight to GEMM), grouped pointwise, and 1×1 that still needs im2col (stride, padding).
        new(N: 3, C: 8, H: 5, W: 7, K: 12, KH: 1, KW: 1),
        new(N: 2, C: 6, H: 4, W: 4, K: 4, KH: 1, KW: 1, Groups: 2),
        new(N: 2, C: 4, H: 9, W: 9, K: 5, KH: 1, KW: 1, StrideH: 2, StrideW: 2),
        new(N: 1, C: 3, H: 5, W: 5, K: 2, KH: 1, KW: 1, PadH: 1, PadW: 1),
        // Stride larger than the kernel (pixels no output reads), padding beyond the image, a kernel larger than the image.
        new(N: 2, C: 2, H: 6, W: 5, K: 2, KH: 2, KW: 2, StrideH: 3, StrideW: 3, PadH: 2, PadW: 2),
        new(N: 1, C: 2, H: 3, W: 3, K: 3, KH: 5, KW: 5, PadH: 2, PadW: 2),
        // Deeper than one 16-deep GEMM slice several times over (Cg·KH·KW = 180) and wider than one tile.
        new(N: 1, C: 20, H: 5, W: 6, K: 17, KH: 3, KW: 3, PadH: 1, PadW: 1),
        // One pixel, and an empty batch.
        new(N: 1, C: 1, H: 1, W: 1, K: 1, KH: 1, KW: 1),
        new(N: 0, C: 2, H: 3, W: 3, K: 2, KH: 1, KW: 1),
    ];

    /// <summary>
    /// Operands sit at offset 3 in buffers with a tail and outputs start out random, so a write outside an output or an
    /// accumulation into it shows. An output sums `terms` products of inputs in [−2, 2): 2·10⁻⁶·terms absolute error is allowed.
    /// </summary>
    [TestCaseSource(nameof(Convolutions))]
    public void ConvolutionAgrees(Conv2dGeometry g)
    {
        const int off = 3, tail = 2;
        int x = g.N * g.C * g.H * g.W, w = g.K * g.GroupC * g.KH * g.KW, y = g.N * g.K * g.OutH * g.OutW;
        int cols = g.N * g.C * g.KH * g.KW * g.OutH * g.OutW, taps = g.GroupC * g.KH * g.KW;
        float[] Padded(int count, int seed) => Random(off + count + tail, seed, -2f, 2f);
        foreach (bool bias in new[] { true, false })
        {
            Check(Backend, $"Conv2d {g} bias={bias}", [Padded(x, 1), Padded(w, 2), Padded(g.K, 3), Padded(y, 4)],
                  (b, m) => b.Conv2d(g, View(m[0], off, g.InputShape()), View(m[1], off, g.WeightShape()), bias ? View(m[2], off, [g.K]) : null,
                                     View(m[3], off, g.OutputShape())), atol: 8e-6 * (taps + 1));
            Check(Backend, $"Conv2dBackwardWeight {g} bias={bias}", [Padded(x, 1), Padded(y, 5), Padded(w, 6), Padded(g.K, 7)],
                  (b, m) => b.Conv2dBackwardWeight(g, View(m[0], off, g.InputShape()), View(m[1], off, g.OutputShape()), View(m[2], off, g.WeightShape()),
                                                   bias ? View(m[3], off, [g.K]) : null),
                  atol: 8e-6 * Math.Max(1, g.N * g.OutH * g.OutW));
        }
        Check(Backend, $"Conv2dBackwardInput {g}", [Padded(y, 5), Padded(w, 2), Padded(x, 8)],
              (b, m) => b.Conv2dBackwardInput(g, View(m[0], off, g.OutputShape()), View(m[1], off, g.WeightShape()), View(m[2], off, g.InputShape())),
              atol: 8e-6 * g.GroupK * g.KH * g.KW);
        Check(Backend, $"Unfold {g}", [Padded(x, 1), Padded(cols, 9)], (b, m) => b.Unfold(g, View(m[0], off, g.InputShape()), View(m[1], off, g.ColumnsShape())),
              rtol: 0, atol: 0);
        Check(Backend, $"Fold {g}", [Padded(cols, 9), Padded(x, 10)], (b, m) => b.Fold(g, View(m[0], off, g.ColumnsShape()), View(m[1], off, g.InputShape())),
              atol: 1e-5);
    }

    private static readonly Pool2dGeometry[] Pools =
    [
        new(N: 1, C: 1, H: 1, W: 1, KH: 1, KW: 1, StrideH: 1, StrideW: 1),
        new(N: 2, C: 3, H: 6, W: 5, KH: 2, KW: 2, StrideH: 2, StrideW: 2),
        new(N: 1, C: 2, H: 7, W: 6, KH: 3, KW: 3, StrideH: 2, StrideW: 2, PadH: 1, PadW: 1, CeilMode: true),
        new(N: 1, C: 2, H: 5, W: 7, KH: 3, KW: 2, StrideH: 2, StrideW: 3, PadH: 1, PadW: 1, CeilMode: true, CountIncludePad: false),
    ];

    [Test]
    public void PoolingAgrees()
    {
        foreach (var g in Pools)
        {
            int x = g.N * g.C * g.H * g.W, y = g.N * g.C * g.OutH * g.OutW;
            // Specials bring NaN (wins its window), −∞ (a window of −∞ points at its first element) and ties.
            var input = WithSpecials(x + 1, 2);
            void Max(IBackend b, DeviceBuffer[] m) => b.MaxPool2d(g, View(m[0], 1, g.InputShape()), View(m[1], 0, g.OutputShape()), View(m[2], 0, g.OutputShape()));
            Check(Backend, $"MaxPool2d {g}", [input, new float[y], new float[y]], Max);
            var indices = Run(Oracle, [input, new float[y], new float[y]], Max)[2];
            Check(Backend, $"MaxPool2dBackward {g}", [Random(y, 3), indices, new float[x]],
                  (b, m) => b.MaxPool2dBackward(g, View(m[0], 0, g.OutputShape()), View(m[1], 0, g.OutputShape()), View(m[2], 0, g.InputShape())));
            var finite = Random(x, 4);
            Check(Backend, $"AvgPool2d {g}", [finite, new float[y]], (b, m) => b.AvgPool2d(g, View(m[0], 0, g.InputShape()), View(m[1], 0, g.OutputShape())));
            Check(Backend, $"AvgPool2dBackward {g}", [Random(y, 5), new float[x]],
                  (b, m) => b.AvgPool2dBackward(g, View(m[0], 0, g.OutputShape()), View(m[1], 0, g.InputShape())));
        }
    }

    [Test]
    public void AdaptivePoolingAgrees()
    {
        foreach (var (h, w, oh, ow) in new[] { (7, 5, 3, 2), (4, 4, 1, 1), (3, 2, 3, 2), (2, 3, 4, 5) })
        {
            int x = 2 * 3 * h * w, y = 2 * 3 * oh * ow;
            Check(Backend, $"AdaptiveAvgPool2d {h}×{w}→{oh}×{ow}", [Random(x, 1), new float[y]],
                  (b, m) => b.AdaptiveAvgPool2d(View(m[0], 0, [2, 3, h, w]), View(m[1], 0, [2, 3, oh, ow])));
            Check(Backend, $"AdaptiveAvgPool2dBackward {h}×{w}→{oh}×{ow}", [Random(y, 2), new float[x]],
                  (b, m) => b.AdaptiveAvgPool2dBackward(View(m[0], 0, [2, 3, oh, ow]), View(m[1], 0, [2, 3, h, w])));
        }
    }

    [Test]
    public void BatchNormAgrees([Values] bool useBatchStats, [Values] bool affine)
    {
        // hw 37 and 59 reach the full-width vector loops and leave scalar tails.
        foreach (var (n, c, hw) in new[] { (1, 1, 2), (4, 3, 5), (2, 5, 1), (3, 2, 37), (2, 3, 59) })
        {
            int count = n * c * hw;
            float[] x = Random(count + 1, n + c), gamma = Random(c, 1, 0.5f, 1.5f), beta = Random(c, 2);
            float[] runningMean = Random(c, 3), runningVar = Random(c, 4, 0.5f, 2f);
            // Arrays: x, gamma, beta, running mean, running variance, y, saved mean, saved invstd.
            float[][] arrays = [x, gamma, beta, runningMean, runningVar, new float[count], new float[c], new float[c]];
            int[] shape = [n, c, hw];
            Check(Backend, $"BatchNormForward [{n}, {c}, {hw}] batch={useBatchStats} affine={affine}", arrays,
                  (b, m) => b.BatchNormForward(new(View(m[0], 1, shape), affine ? View(m[1], 0, [c]) : null, affine ? View(m[2], 0, [c]) : null, View(m[3], 0, [c]),
                                                   View(m[4], 0, [c]), View(m[6], 0, [c]), View(m[7], 0, [c]), useBatchStats, 0.1f, 1e-5f), View(m[5], 0, shape)),
                  rtol: 1e-5, atol: 1e-5);
            var saved = Run(Oracle, arrays, (b, m) => b.BatchNormForward(new(View(m[0], 1, shape), View(m[1], 0, [c]), View(m[2], 0, [c]), View(m[3], 0, [c]),
                                                                             View(m[4], 0, [c]), View(m[6], 0, [c]), View(m[7], 0, [c]), useBatchStats, 0.1f, 1e-5f),
                                                                         View(m[5], 0, shape)));
            // Arrays: x, gy, gamma, saved mean, saved invstd, gx, gγ, gβ.
            Check(Backend, $"BatchNormBackward [{n}, {c}, {hw}] batch={useBatchStats} affine={affine}",
                  [x, Random(count, 9), gamma, saved[6], saved[7], new float[count + 1], new float[c], new float[c]],
                  (b, m) => b.BatchNormBackward(new(View(m[0], 1, shape), affine ? View(m[2], 0, [c]) : null, null, null, null, View(m[3], 0, [c]), View(m[4], 0, [c]),
                                                    useBatchStats, 0.1f, 1e-5f), View(m[1], 0, shape),
                                                new(View(m[5], 1, shape), View(m[6], 0, [c]), View(m[7], 0, [c]))), rtol: 1e-4, atol: 1e-4);
        }
    }

    [Test]
    public void DropoutMasksAreTheSameBits([Values(0f, 0.3f, 1f)] float p)
    {
        Check(Backend, $"DropoutMask p={p}", [new float[50]], (b, m) => b.DropoutMask(StridedView.Contiguous(m[0], 3, [45]), p, 1234UL, 77UL), rtol: 0, atol: 0);
    }
}
