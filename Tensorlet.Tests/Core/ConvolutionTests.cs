using Tensorlet.NN;
using static Tensorlet.Tests.Core.OpTester;

namespace Tensorlet.Tests.Core;

public class ConvolutionTests
{
    // (input, weight, stride, padding, dilation, groups): each small enough for finite differences.
    private static IEnumerable<TestCaseData> Cases() => new (int[] X, int[] W, (int, int) S, (int, int) P, (int, int) D, int G)[]
    {
        ([1, 2, 5, 5], [3, 2, 3, 3], (1, 1), (1, 1), (1, 1), 1),
        ([2, 3, 6, 5], [2, 3, 2, 3], (2, 1), (0, 1), (1, 1), 1),
        ([1, 2, 7, 7], [2, 2, 3, 3], (1, 2), (2, 2), (2, 2), 1),
        ([2, 4, 5, 5], [4, 2, 3, 3], (1, 1), (1, 1), (1, 1), 2),
        ([1, 3, 5, 4], [3, 1, 3, 3], (2, 2), (1, 1), (1, 1), 3),
        ([3, 4, 3, 3], [2, 4, 1, 1], (1, 1), (0, 0), (1, 1), 1),
    }.Select(c => new TestCaseData(c.X, c.W, c.S, c.P, c.D, c.G)
        .SetArgDisplayNames(Shape.Format(c.X), Shape.Format(c.W), $"s{c.S}", $"p{c.P}", $"d{c.D}", $"g{c.G}"));

    [TestCaseSource(nameof(Cases))]
    public void MatchesDirectConvolutionAndGradCheck(int[] x, int[] w, (int H, int W) s, (int H, int W) p, (int H, int W) d, int groups)
    {
        int[] b = [w[0]];
        Check([x, w, b], t => F.Conv2d(t[0], t[1], t[2], s, p, d, groups), r => Direct(r[0], r[1], r[2], s, p, d, groups),
              atol: 1e-5, rtol: 1e-4);
    }

    [Test]
    public void WithoutBiasAndNonContiguousInput()
    {
        // The input is a transposed view, whose images are not dense: the backend copies it (DenseOperand) for its kernels.
        Check([[1, 2, 6, 5], [2, 2, 3, 3]], t => t[0].Transpose(2, 3).Conv2d(t[1], padding: 1),
              r => Direct(r[0].Transpose(2, 3), r[1], null, (1, 1), (1, 1), (1, 1), 1));
    }

    [Test]
    public void SameThreadCountSameBits()
    {
        var g = new Generator(5);
        var x = Tensor.FromArray(Randn(g, [4, 8, 9, 9]), [4, 8, 9, 9], requiresGrad: true);
        var conv = new Conv2d(8, 6, 3, padding: 1, groups: 2, generator: new Generator(1));
        float[][] Run()
        {
            x.Grad = null;
            conv.ZeroGrad();
            var y = conv.Forward(x);
            y.Mul(y).Sum().Backward();
            return [y.ToArray(), x.Grad!.ToArray(), conv.Weight.Grad!.ToArray(), conv.Bias!.Grad!.ToArray()];
        }
        var first = Run();
        var second = Run();
        for (int i = 0; i < first.Length; i++) Assert.That(second[i], Is.EqualTo(first[i]), $"result {i}");
    }

    [Test]
    public void LayerMatchesPyTorchConventions()
    {
        var conv = new Conv2d(4, 8, (3, 5), stride: (2, 1), padding: (1, 2), dilation: (1, 1), groups: 2, generator: new Generator(3));
        Assert.That(conv.Weight.Shape, Is.EqualTo(new[] { 8, 2, 3, 5 }));
        Assert.That(conv.NamedParameters().Select(p => p.Name), Is.EqualTo(new[] { "weight", "bias" }));
        float bound = 1f / MathF.Sqrt(2 * 3 * 5);
        Assert.That(conv.Weight.ToArray().Concat(conv.Bias!.ToArray()), Is.All.InRange(-bound, bound));
        Assert.That(conv.ToString(), Is.EqualTo("Conv2d(4, 8, kernel_size=(3, 5), stride=(2, 1), padding=(1, 2), groups=2)"));
        Assert.That(new Conv2d(3, 16, 1, bias: false).ToString(), Is.EqualTo("Conv2d(3, 16, kernel_size=(1, 1), stride=(1, 1), bias=False)"));
        var y = conv.Forward(Tensor.Zeros(2, 4, 7, 9));
        Assert.That(y.Shape, Is.EqualTo(new[] { 2, 8, 4, 9 }));
        Assert.That(conv.ForwardFlops([2, 4, 7, 9], y.Shape), Is.EqualTo(2.0 * y.Count * 2 * 3 * 5));
    }

    [Test]
    public void ErrorsNameTheShapes()
    {
        var w = Tensor.Zeros(4, 3, 3, 3);
        Throws(() => Tensor.Zeros(3, 5, 5).Conv2d(w), "Conv2d", "4-D input", "[3, 5, 5]");
        Throws(() => Tensor.Zeros(1, 4, 5, 5).Conv2d(w), "Conv2d", "[1, 4, 5, 5]", "[4, 3, 3, 3]", "input channels 4");
        Throws(() => Tensor.Zeros(1, 9, 5, 5).Conv2d(w, groups: 3), "Conv2d", "not divisible by groups 3");
        Throws(() => Tensor.Zeros(1, 3, 5, 5).Conv2d(w, Tensor.Zeros(3)), "Conv2d", "bias", "[3]");
        Throws(() => Tensor.Zeros(1, 3, 2, 2).Conv2d(w), "Conv2d", "larger than the padded input");
        Throws(() => Tensor.Zeros(1, 3, 5, 5).Conv2d(w, stride: 0), "Conv2d", "stride");
        Throws(() => new Conv2d(6, 4, 3, groups: 4), "Conv2d", "divisible by groups 4");
    }

    /// <summary>The definition, element by element: y[n,k,r,c] = b[k] + Σ w[k,ci,i,j]·x[n, g·Cg + ci, r·s − p + i·d, c·s − p + j·d].</summary>
    private static RefArray Direct(RefArray x, RefArray w, RefArray? b, (int H, int W) s, (int H, int W) p, (int H, int W) d, int groups)
    {
        int n = x.Shape[0], h = x.Shape[2], wd = x.Shape[3], k = w.Shape[0], cg = w.Shape[1], kh = w.Shape[2], kw = w.Shape[3];
        int oh = (h + 2 * p.H - d.H * (kh - 1) - 1) / s.H + 1, ow = (wd + 2 * p.W - d.W * (kw - 1) - 1) / s.W + 1;
        return RefArray.Build([n, k, oh, ow], ix =>
        {
            double sum = b?[[ix[1]]] ?? 0;
            int group = ix[1] / (k / groups);
            for (int c = 0; c < cg; c++)
            for (int i = 0; i < kh; i++)
            for (int j = 0; j < kw; j++)
            {
                int r = ix[2] * s.H - p.H + i * d.H, col = ix[3] * s.W - p.W + j * d.W;
                if (r < 0 || r >= h || col < 0 || col >= wd) continue;
                sum += w[[ix[1], c, i, j]] * x[[ix[0], group * cg + c, r, col]];
            }
            return sum;
        });
    }
}
