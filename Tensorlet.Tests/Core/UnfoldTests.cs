using Tensorlet.Kernels;
using static Tensorlet.Tests.Core.OpTester;
using RefIm2Col = Tensorlet.Kernels.Reference.Im2Col;
using RefConv = Tensorlet.Kernels.Reference.Conv2d;

namespace Tensorlet.Tests.Core;

public class UnfoldTests
{
    // (input [N, C, H, W], kernel, dilation, padding, stride): each small enough for finite differences.
    private static IEnumerable<TestCaseData> Cases() => new (int[] X, (int, int) K, (int, int) D, (int, int) P, (int, int) S)[]
    {
        ([1, 2, 4, 4], (2, 2), (1, 1), (0, 0), (1, 1)),
        ([2, 3, 5, 5], (3, 3), (1, 1), (1, 1), (2, 2)),
        ([1, 2, 6, 5], (2, 3), (2, 1), (1, 0), (1, 2)),
        ([2, 1, 5, 6], (3, 2), (1, 2), (2, 1), (3, 1)),
        ([1, 3, 3, 3], (1, 1), (1, 1), (0, 0), (1, 1)),
        // Planes of at most 16 floats with 16 or 4 output positions: each row lowered by one register permute.
        ([2, 3, 4, 4], (3, 3), (1, 1), (1, 1), (1, 1)),
        ([1, 2, 2, 2], (3, 3), (1, 1), (1, 1), (1, 1)),
    }.Select(c => new TestCaseData(c.X, c.K, c.D, c.P, c.S)
        .SetArgDisplayNames(Shape.Format(c.X), $"k{c.K}", $"d{c.D}", $"p{c.P}", $"s{c.S}"));

    private static Conv2dGeometry Geometry(int[] x, (int H, int W) k, (int H, int W) d, (int H, int W) p, (int H, int W) s) =>
        new(x[0], x[1], x[2], x[3], 1, k.H, k.W, s.H, s.W, p.H, p.W, d.H, d.W);

    [TestCaseSource(nameof(Cases))]
    public void UnfoldMatchesDefinitionAndGradCheck(int[] x, (int H, int W) k, (int H, int W) d, (int H, int W) p, (int H, int W) s) =>
        Check([x], t => F.Unfold(t[0], k, d, p, s), r => UnfoldRef(r[0], Geometry(x, k, d, p, s)));

    [TestCaseSource(nameof(Cases))]
    public void FoldMatchesDefinitionAndGradCheck(int[] x, (int H, int W) k, (int H, int W) d, (int H, int W) p, (int H, int W) s)
    {
        var g = Geometry(x, k, d, p, s);
        int[] cols = [g.N, g.C * g.KH * g.KW, g.OutH * g.OutW];
        Check([cols], t => F.Fold(t[0], (g.H, g.W), k, d, p, s), r => FoldRef(r[0], g));
    }

    [TestCaseSource(nameof(Cases))]
    public void ReadableReferenceLoopsAgreeWithTheDefinition(int[] x, (int H, int W) k, (int H, int W) d, (int H, int W) p, (int H, int W) s)
    {
        var g = Geometry(x, k, d, p, s);
        var gen = new Generator(11);
        var input = RefArray.Of(x, Randn(gen, x).Select(v => (double)v).ToArray());
        AssertClose(Tensor.FromArray(RefIm2Col.Unfold(g, Floats(input)), [g.N, g.C * g.KH * g.KW, g.OutH * g.OutW]), UnfoldRef(input, g), 0, 0);
        int[] colShape = [g.N, g.C * g.KH * g.KW, g.OutH * g.OutW];
        var cols = RefArray.Of(colShape, Randn(gen, colShape).Select(v => (double)v).ToArray());
        AssertClose(Tensor.FromArray(RefIm2Col.Fold(g, Floats(cols)), x), FoldRef(cols, g), 1e-5, 1e-5);
    }

    [Test]
    public void ConvolutionIsWeightMatrixTimesUnfold()
    {
        // The identity that explains im2col: conv(x, W) = W.reshape(K, C·kh·kw) · unfold(x), reshaped to [N, K, OH, OW].
        var g = new Conv2dGeometry(2, 3, 6, 5, 4, 3, 2, StrideH: 2, StrideW: 1, PadH: 1, PadW: 1, DilationH: 1, DilationW: 2);
        var gen = new Generator(3);
        float[] x = Randn(gen, [2, 3, 6, 5]), w = Randn(gen, [4, 3, 3, 2]);
        var expected = RefConv.Forward(g, x, w, null);
        var cols = F.Unfold(Tensor.FromArray(x, [2, 3, 6, 5]), (3, 2), (1, 2), (1, 1), (2, 1));
        var product = Tensor.FromArray(w, [4, 3, 3, 2]).Reshape(4, 18).MatMul(cols).Reshape(2, 4, g.OutH, g.OutW);
        AssertClose(product, RefArray.Of([2, 4, g.OutH, g.OutW], expected.Select(v => (double)v).ToArray()), 1e-5, 1e-4);
    }

    [Test]
    public void FoldIsTheAdjointOfUnfold()
    {
        // <unfold(x), c> = <x, fold(c)> for every x and c: what makes each the other's backward.
        var gen = new Generator(8);
        var x = Tensor.FromArray(Randn(gen, [2, 3, 7, 6]), [2, 3, 7, 6]);
        var u = F.Unfold(x, (3, 3), (2, 1), (1, 2), (2, 2));
        var c = Tensor.FromArray(Randn(gen, u.Shape), u.Shape);
        double left = Dot(u.ToArray(), c.ToArray());
        double right = Dot(x.ToArray(), F.Fold(c, (7, 6), (3, 3), (2, 1), (1, 2), (2, 2)).ToArray());
        Assert.That(left, Is.EqualTo(right).Within(1e-4 * Math.Max(1, Math.Abs(left))));
    }

    [Test]
    public void UnbatchedInputAndIntOverloads()
    {
        var x = Tensor.Arange(2 * 4 * 4).Reshape(2, 4, 4);
        var u = F.Unfold(x, 2, stride: 2);
        Assert.That(u.Shape, Is.EqualTo(new[] { 8, 4 }));
        // Row (c=0, i=0, j=1), block 1 (oh=0, ow=1) reads x[0, 0, 3].
        Assert.That(u.ToArray()[1 * 4 + 1], Is.EqualTo(3f));
        var back = F.Fold(u, 4, 2, stride: 2);
        Assert.That(back.Shape, Is.EqualTo(new[] { 2, 4, 4 }));
        Assert.That(back.ToArray(), Is.EqualTo(x.ToArray()), "non-overlapping blocks fold back to the input");
        // Overlapping blocks (stride 1) sum: the centre of a 3×3 input is read by all four 2×2 blocks.
        var ones = F.Fold(Tensor.Ones(4, 4), 3, 2);
        Assert.That(ones.ToArray(), Is.EqualTo(new float[] { 1, 2, 1, 2, 4, 2, 1, 2, 1 }));
    }

    [Test]
    public void NonContiguousInput() =>
        Check([[1, 2, 5, 4]], t => F.Unfold(t[0].Transpose(2, 3), 2, padding: 1),
              r => UnfoldRef(r[0].Transpose(2, 3), new Conv2dGeometry(1, 2, 4, 5, 1, 2, 2, PadH: 1, PadW: 1)));

    [Test]
    public void BadShapesGiveClearMessages()
    {
        Throws(() => F.Unfold(Tensor.Zeros(4, 4), 2), "Unfold", "[N, C, H, W] or [C, H, W]", "[4, 4]");
        Throws(() => F.Unfold(Tensor.Zeros(1, 1, 2, 2), 3, stride: 2), "Unfold", "[1, 1, 2, 2]", "(3, 3)", "2×2");
        Throws(() => F.Unfold(Tensor.Zeros(1, 1, 4, 4), 2, stride: 0), "Unfold", "stride (0, 0)");
        Throws(() => F.Unfold(Tensor.Zeros(1, 1, 4, 4), 2, padding: -1), "Unfold", "padding (-1, -1)");
        Throws(() => F.Fold(Tensor.Zeros(1, 8, 12), 4, 2), "Fold", "[1, 8, 12]", "L = 12", "3 × 3 = 9");
        Throws(() => F.Fold(Tensor.Zeros(1, 7, 9), 4, 2), "Fold", "[1, 7, 9]", "dimension 1 (7)", "kh·kw = 2·2 = 4");
        Throws(() => F.Fold(Tensor.Zeros(2, 3, 4, 9), 4, 2), "Fold", "[N, C·kh·kw, L]", "[2, 3, 4, 9]");
        Throws(() => F.Fold(Tensor.Zeros(1, 4, 1), 1, 2), "Fold", "does not fit");
    }

    // ---- double-precision references built from the definition ---------------------------------------------

    private static RefArray UnfoldRef(RefArray x, Conv2dGeometry g) =>
        RefArray.Build([g.N, g.C * g.KH * g.KW, g.OutH * g.OutW], ix =>
        {
            int c = ix[1] / (g.KH * g.KW), i = ix[1] / g.KW % g.KH, j = ix[1] % g.KW;
            int h = ix[2] / g.OutW * g.StrideH - g.PadH + i * g.DilationH;
            int w = ix[2] % g.OutW * g.StrideW - g.PadW + j * g.DilationW;
            return h < 0 || h >= g.H || w < 0 || w >= g.W ? 0 : x[[ix[0], c, h, w]];
        });

    private static RefArray FoldRef(RefArray cols, Conv2dGeometry g) =>
        RefArray.Build([g.N, g.C, g.H, g.W], ix =>
        {
            double sum = 0;
            for (int i = 0; i < g.KH; i++)
            for (int j = 0; j < g.KW; j++)
            for (int oh = 0; oh < g.OutH; oh++)
            for (int ow = 0; ow < g.OutW; ow++)
                if (oh * g.StrideH - g.PadH + i * g.DilationH == ix[2] && ow * g.StrideW - g.PadW + j * g.DilationW == ix[3])
                    sum += cols[[ix[0], (ix[1] * g.KH + i) * g.KW + j, oh * g.OutW + ow]];
            return sum;
        });

    private static float[] Floats(RefArray a) => a.Data.Select(v => (float)v).ToArray();

    private static double Dot(float[] a, float[] b) => a.Zip(b, (p, q) => (double)p * q).Sum();
}
