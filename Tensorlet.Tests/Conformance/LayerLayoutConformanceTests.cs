using Tensorlet.Kernels;
using Tensorlet.Tests.Kernels;
using static Tensorlet.Tests.Conformance.ConformanceKit;
using static Tensorlet.Tests.Kernels.KernelTestKit;

namespace Tensorlet.Tests.Conformance;

/// <summary>
/// Convolution, pooling and batch norm with operands that are not dense, on every backend against the reference: a
/// channel slice of a wider NCHW buffer and a batch with gaps between its images (both walked in place by the CPU), a
/// broadcast batch, and NHWC data seen as NCHW or a transposed weight (which a backend copies through DenseOperand).
/// Outputs take the same layouts, and every array is compared whole, so a write into a gap shows.
/// </summary>
public class LayerLayoutConformanceTests(string device) : BackendFixture(device)
{
    /// <summary>Channels [first, first + shape[1]) of a buffer <paramref name="extra"/> channels wider, after an offset of 2.</summary>
    private static Layout ChannelSlice(int[] shape, int extra = 3, int first = 1)
    {
        var stored = (int[])shape.Clone();
        stored[1] += extra;
        var strides = StridedView.ContiguousStrides(stored);
        return new Layout(2 + Count(stored) + 1, 2 + first * strides[1], shape, strides);
    }

    /// <summary>Dense images <paramref name="gap"/> floats apart beyond their own size, after an offset of 1.</summary>
    private static Layout BatchStrided(int[] shape, int gap = 5)
    {
        var strides = StridedView.ContiguousStrides(shape);
        strides[0] = Count(shape[1..]) + gap;
        return new Layout(1 + Math.Max(1, shape[0]) * strides[0], 1, shape, strides);
    }

    /// <summary>Channels-last data, [N, spatial..., C] in memory, seen as [N, C, spatial...]: no dimension is dense.</summary>
    private static Layout ChannelsLast(int[] shape)
    {
        int[] stored = [shape[0], .. shape[2..], shape[1]];
        int[] perm = [0, shape.Length - 1, .. Enumerable.Range(1, shape.Length - 2)];
        return Layout.Permuted(stored, perm);
    }


    private static float[] Values(Layout layout, int seed) => Random(layout.Length, seed, -2f, 2f);


    public static readonly Conv2dGeometry[] Convolutions =
    [
        new(N: 2, C: 4, H: 6, W: 6, K: 5, KH: 3, KW: 3, PadH: 1, PadW: 1),
        new(N: 3, C: 4, H: 7, W: 6, K: 6, KH: 3, KW: 3, StrideH: 2, StrideW: 2, PadH: 1, PadW: 1, Groups: 2),
        new(N: 2, C: 6, H: 4, W: 5, K: 4, KH: 1, KW: 1),
        new(N: 1, C: 3, H: 9, W: 9, K: 4, KH: 3, KW: 3, StrideH: 2, StrideW: 2),
        ConvolutionKernelVariantTests.DirectCases[1],
    ];

    /// <summary>(name, x, weight, y) layouts of the forward pass.</summary>
    private static IEnumerable<(string Name, Layout X, Layout W, Layout Y)> ForwardLayouts(Conv2dGeometry g)
    {
        yield return ("channel-slice x", ChannelSlice(g.InputShape()), Layout.Dense(g.WeightShape()), Layout.Dense(g.OutputShape()));
        yield return ("channels-last x into a channel slice", ChannelsLast(g.InputShape()), Layout.Dense(g.WeightShape()), ChannelSlice(g.OutputShape(), 2, 2));
        yield return ("broadcast batch into a strided batch", Layout.Broadcast(g.InputShape(), true, false, false, false), Layout.Dense(g.WeightShape()),
                      BatchStrided(g.OutputShape()));
        yield return ("transposed weight into channels-last y", BatchStrided(g.InputShape()),
                      Layout.Permuted([g.GroupC, g.K, g.KH, g.KW], 1, 0, 2, 3), ChannelsLast(g.OutputShape()));
    }

    [TestCaseSource(nameof(Convolutions))]
    public void ConvolutionAgreesOnStridedOperands(Conv2dGeometry g)
    {
        int taps = g.GroupC * g.KH * g.KW;
        var bias = Layout.Stepped(g.K, 2);
        foreach (var (name, x, w, y) in ForwardLayouts(g))
            Check(Backend, $"Conv2d {g} {name}", [Values(x, 1), Values(w, 2), Values(bias, 3), Values(y, 4)],
                  (b, m) => b.Conv2d(g, On(m[0], x), On(m[1], w), On(m[2], bias), On(m[3], y)), atol: 8e-6 * (taps + 1));

        foreach (var (name, gy, gx) in new[]
                 {
                     ("strided-batch gY into a channel slice", BatchStrided(g.OutputShape()), ChannelSlice(g.InputShape())),
                     ("channels-last gY into channels-last gX", ChannelsLast(g.OutputShape()), ChannelsLast(g.InputShape())),
                 })
            Check(Backend, $"Conv2dBackwardInput {g} {name}", [Values(gy, 5), Values(Layout.Dense(g.WeightShape()), 2), Values(gx, 6)],
                  (b, m) => b.Conv2dBackwardInput(g, On(m[0], gy), View(m[1], 0, g.WeightShape()), On(m[2], gx)), atol: 8e-6 * g.GroupK * g.KH * g.KW);

        foreach (var (name, x, gy) in new[]
                 {
                     ("channel-slice x, strided-batch gY", ChannelSlice(g.InputShape()), BatchStrided(g.OutputShape())),
                     ("channels-last x and gY", ChannelsLast(g.InputShape()), ChannelsLast(g.OutputShape())),
                 })
        {
            var gw = Layout.Permuted([g.GroupC, g.K, g.KH, g.KW], 1, 0, 2, 3);
            Check(Backend, $"Conv2dBackwardWeight {g} {name}", [Values(x, 7), Values(gy, 8), Values(gw, 9), Values(bias, 10)],
                  (b, m) => b.Conv2dBackwardWeight(g, On(m[0], x), On(m[1], gy), On(m[2], gw), On(m[3], bias)),
                  atol: 8e-6 * Math.Max(1, g.N * g.OutH * g.OutW));
        }

        var cols = BatchStrided(g.ColumnsShape(), 3);
        Check(Backend, $"Unfold {g} channel slice into a strided batch", [Values(ChannelSlice(g.InputShape()), 11), Values(cols, 12)],
              (b, m) => b.Unfold(g, On(m[0], ChannelSlice(g.InputShape())), On(m[1], cols)), rtol: 0, atol: 0);
        Check(Backend, $"Fold {g} strided batch into channels-last", [Values(cols, 13), Values(ChannelsLast(g.InputShape()), 14)],
              (b, m) => b.Fold(g, On(m[0], cols), On(m[1], ChannelsLast(g.InputShape()))), atol: 1e-5);
    }

    [Test]
    public void PoolingAgreesOnStridedOperands()
    {
        var g = new Pool2dGeometry(N: 2, C: 3, H: 7, W: 6, KH: 3, KW: 3, StrideH: 2, StrideW: 2, PadH: 1, PadW: 1, CeilMode: true);
        var layouts = new[]
        {
            ("channel slices", ChannelSlice(g.InputShape()), ChannelSlice(g.OutputShape(), 1, 0), BatchStrided(g.OutputShape())),
            ("channels-last", ChannelsLast(g.InputShape()), ChannelsLast(g.OutputShape()), BatchStrided(g.OutputShape(), 2)),
        };
        foreach (var (name, x, y, other) in layouts)
        {
            // Specials bring NaN, ±∞ and ties into the windows (and the gaps, which must stay as they are).
            float[] input = WithSpecials(x.Length, 1);
            void Max(IBackend b, DeviceBuffer[] m) => b.MaxPool2d(g, On(m[0], x), On(m[1], y), On(m[2], other));
            Check(Backend, $"MaxPool2d {name}", [input, Values(y, 2), Values(other, 3)], Max);
            var indices = Run(Oracle, [input, Values(y, 2), Values(other, 3)], Max)[2];
            Check(Backend, $"MaxPool2dBackward {name}", [Values(y, 4), indices, Values(x, 5)],
                  (b, m) => b.MaxPool2dBackward(g, On(m[0], y), On(m[1], other), On(m[2], x)));
            Check(Backend, $"AvgPool2d {name}", [Values(x, 6), Values(other, 7)], (b, m) => b.AvgPool2d(g, On(m[0], x), On(m[1], other)));
            Check(Backend, $"AvgPool2dBackward {name}", [Values(y, 8), Values(x, 9)], (b, m) => b.AvgPool2dBackward(g, On(m[0], y), On(m[1], x)));
            var pooled = BatchStrided([2, 3, 3, 2], 4);
            Check(Backend, $"AdaptiveAvgPool2d {name}", [Values(x, 10), Values(pooled, 11)], (b, m) => b.AdaptiveAvgPool2d(On(m[0], x), On(m[1], pooled)));
            Check(Backend, $"AdaptiveAvgPool2dBackward {name}", [Values(pooled, 12), Values(x, 13)],
                  (b, m) => b.AdaptiveAvgPool2dBackward(On(m[0], pooled), On(m[1], x)));
        }
    }

    [Test]
    public void BatchNormAgreesOnStridedOperands([Values] bool useBatchStats)
    {
        foreach (int[] shape in new[] { new[] { 4, 3, 5 }, [2, 5, 3, 2], [3, 4] })
        {
            int c = shape[1];
            var channel = Layout.Stepped(c, 2);
            var layouts = new[]
            {
                ("channel slice x, strided-batch y", ChannelSlice(shape), BatchStrided(shape), ChannelsLast(shape), ChannelSlice(shape, 1, 0)),
                ("channels-last x and y", ChannelsLast(shape), ChannelsLast(shape), BatchStrided(shape), ChannelSlice(shape)),
            };
            foreach (var (name, x, y, gy, gx) in layouts)
            {
                string what = $"[{string.Join(", ", shape)}] batch={useBatchStats} {name}";
                // Arrays: x, γ, β, running mean, running variance, y, saved mean, saved invstd, gY, gX, gγ, gβ.
                float[][] arrays =
                [
                    Values(x, 1), Random(channel.Length, 2, 0.5f, 1.5f), Values(channel, 3), Values(channel, 4), Random(channel.Length, 5, 0.5f, 2f),
                    Values(y, 6), Values(channel, 7), Random(channel.Length, 8, 0.5f, 2f), Values(gy, 9), Values(gx, 10), Values(channel, 11),
                    Values(channel, 12),
                ];
                BatchNormArgs Args(DeviceBuffer[] m) =>
                    new(On(m[0], x), On(m[1], channel), On(m[2], channel), On(m[3], channel), On(m[4], channel), On(m[6], channel), On(m[7], channel),
                        useBatchStats, 0.1f, 1e-5f);
                Check(Backend, $"BatchNormForward {what}", arrays, (b, m) => b.BatchNormForward(Args(m), On(m[5], y)), rtol: 1e-5, atol: 1e-5);
                Check(Backend, $"BatchNormBackward {what}", arrays,
                      (b, m) => b.BatchNormBackward(Args(m), On(m[8], gy), new(On(m[9], gx), On(m[10], channel), On(m[11], channel))),
                      rtol: 1e-4, atol: 1e-4);
            }
        }
    }
}
