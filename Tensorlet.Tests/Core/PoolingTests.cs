using Tensorlet.NN;
using static Tensorlet.Tests.Core.OpTester;

namespace Tensorlet.Tests.Core;

public class PoolingTests
{
    /// <summary>Rows [start, end) of window o clipped to the image, and its size with the end clipped to size + p.</summary>
    private static (int Start, int End, int Padded) Window(int o, int size, int k, int s, int p) =>
        (Math.Max(o * s - p, 0), Math.Min(o * s - p + k, size), Math.Min(o * s - p + k, size + p) - (o * s - p));

    /// <summary>Pools each plane of x with <paramref name="reduce"/>(values, padded window size), windows straight from the definition.</summary>
    private static RefArray PoolRef(RefArray x, int k, int s, int p, int oh, int ow, Func<List<double>, int, double> reduce) =>
        RefArray.Build([x.Shape[0], x.Shape[1], oh, ow], idx =>
        {
            var (h0, h1, ph) = Window(idx[2], x.Shape[2], k, s, p);
            var (w0, w1, pw) = Window(idx[3], x.Shape[3], k, s, p);
            var values = new List<double>();
            for (int h = h0; h < h1; h++)
                for (int w = w0; w < w1; w++) values.Add(x[[idx[0], idx[1], h, w]]);
            return reduce(values, ph * pw);
        });

    [TestCase(2, null, 0, false, 6, 6)]
    [TestCase(3, 2, 1, false, 7, 7)]
    [TestCase(3, 2, 1, true, 6, 6)]
    [TestCase(2, 2, 1, true, 5, 5)]
    [TestCase(3, 1, 1, false, 4, 5)]
    public void MaxPool2d(int k, int? stride, int p, bool ceil, int h, int w)
    {
        int s = stride ?? k, oh = Pool2dOut(h, k, s, p, ceil), ow = Pool2dOut(w, k, s, p, ceil);
        Check([[2, 2, h, w]], t => F.MaxPool2d(t[0], k, stride, p, ceil), r => PoolRef(r[0], k, s, p, oh, ow, (v, _) => v.Max()),
              init: Distinct);
    }

    [TestCase(2, null, 0, false, true, 6, 6)]
    [TestCase(3, 2, 1, false, false, 7, 7)]
    [TestCase(3, 2, 1, true, true, 6, 6)]
    [TestCase(3, 2, 1, true, false, 6, 6)]
    [TestCase(3, 2, 0, true, true, 4, 4)]
    [TestCase(3, 1, 1, false, true, 4, 5)]
    public void AvgPool2d(int k, int? stride, int p, bool ceil, bool countIncludePad, int h, int w)
    {
        int s = stride ?? k, oh = Pool2dOut(h, k, s, p, ceil), ow = Pool2dOut(w, k, s, p, ceil);
        Check([[2, 2, h, w]], t => F.AvgPool2d(t[0], k, stride, p, ceil, countIncludePad),
              r => PoolRef(r[0], k, s, p, oh, ow, (v, padded) => v.Sum() / (countIncludePad ? padded : v.Count)));
    }

    private static int Pool2dOut(int size, int k, int s, int p, bool ceil) => Tensorlet.Kernels.Pool2dGeometry.OutSize(size, k, s, p, ceil);

    [TestCase(6, 6, 1, 1)]
    [TestCase(7, 5, 3, 2)]
    [TestCase(5, 7, 5, 7)]
    [TestCase(3, 4, 5, 6)]
    public void AdaptiveAvgPool2d(int h, int w, int oh, int ow) =>
        Check([[2, 3, h, w]], t => F.AdaptiveAvgPool2d(t[0], (oh, ow)), r => RefArray.Build([2, 3, oh, ow], idx =>
        {
            int h0 = idx[2] * h / oh, h1 = ((idx[2] + 1) * h + oh - 1) / oh, w0 = idx[3] * w / ow, w1 = ((idx[3] + 1) * w + ow - 1) / ow;
            double sum = 0;
            for (int i = h0; i < h1; i++)
                for (int j = w0; j < w1; j++) sum += r[0][[idx[0], idx[1], i, j]];
            return sum / ((h1 - h0) * (w1 - w0));
        }));

    [Test]
    public void PoolingAViewAndAnUnbatchedInput()
    {
        // A transposed (non-contiguous) input and a [C, H, W] input pool like their dense, batched equivalents.
        Check([[2, 2, 5, 4]], t => F.MaxPool2d(t[0].Transpose(2, 3), 2), r => PoolRef(r[0].Transpose(2, 3), 2, 2, 0, 2, 2, (v, _) => v.Max()),
              init: Distinct);
        Check([[3, 4, 4]], t => F.AvgPool2d(t[0], 2), r => PoolRef(r[0].Reshape([1, 3, 4, 4]), 2, 2, 0, 2, 2, (v, n) => v.Sum() / n).Reshape([3, 2, 2]));
    }

    [Test]
    public void MaxPoolTiesSendTheGradientToTheFirstMaximum()
    {
        var x = Tensor.FromArray([1f, 3f, 3f, 3f], [1, 1, 2, 2], requiresGrad: true);
        F.MaxPool2d(x, 2).Sum().Backward();
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 0f, 1f, 0f, 0f }));
    }

    [Test]
    public void BadGeometryNamesTheOpAndShape()
    {
        var x = Tensor.Zeros(1, 2, 3, 3);
        Throws(() => F.MaxPool2d(x, 5), "MaxPool2d", "[1, 2, 3, 3]", "larger");
        Throws(() => F.AvgPool2d(x, 2, padding: 2), "AvgPool2d", "padding");
        Throws(() => F.AvgPool2d(Tensor.Zeros(2, 3), 2), "AvgPool2d", "[2, 3]");
        Throws(() => F.AdaptiveAvgPool2d(x, 0), "AdaptiveAvgPool2d");
    }

    [Test]
    public void LayersDescribeThemselvesLikePyTorchAndCountFlops()
    {
        Assert.That(new NN.MaxPool2d(2).ToString(), Is.EqualTo("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)"));
        Assert.That(new NN.MaxPool2d((3, 2), (1, 1), ceilMode: true).ToString(),
                    Is.EqualTo("MaxPool2d(kernel_size=(3, 2), stride=(1, 1), padding=(0, 0), dilation=1, ceil_mode=True)"));
        Assert.That(new NN.AvgPool2d(3, 2, 1).ToString(), Is.EqualTo("AvgPool2d(kernel_size=3, stride=2, padding=1)"));
        Assert.That(new NN.AdaptiveAvgPool2d(1).ToString(), Is.EqualTo("AdaptiveAvgPool2d(output_size=1)"));
        Assert.That(new NN.AdaptiveAvgPool2d((2, 3)).ToString(), Is.EqualTo("AdaptiveAvgPool2d(output_size=(2, 3))"));

        var model = new Sequential(new NN.MaxPool2d(2), new NN.AvgPool2d(2, countIncludePad: false), new NN.AdaptiveAvgPool2d(1));
        var summary = model.Summary(1, 3, 8, 8);
        Assert.That(summary.Layers.Select(l => l.OutputShape), Is.EqualTo(new[] { new[] { 1, 3, 1, 1 }, [1, 3, 4, 4], [1, 3, 2, 2], [1, 3, 1, 1] }));
        Assert.That(summary.Layers.Skip(1).Select(l => l.Flops), Is.EqualTo(new[] { 48.0 * 4, 12.0 * 4, 12.0 }));
    }
}
