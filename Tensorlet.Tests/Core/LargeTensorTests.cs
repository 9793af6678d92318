using static Tensorlet.Tests.Core.OpTester;

namespace Tensorlet.Tests.Core;

// Sizes past the CPU backend's thresholds (32k elements per thread, 1024-element sum blocks), so the
// multithreaded and blocked paths run; forward only, since finite differences over 10⁵ inputs are too slow.
public class LargeTensorTests
{
    private static readonly int[] M = [190, 263];

    [Test]
    public void BroadcastArithmetic()
    {
        Check([M, [263]], t => t[0].Mul(t[1]).Add(t[1]), r => r[0] * r[1] + r[1], gradcheck: false);
        Check([M, [190, 1]], t => t[0].Sub(t[1]).Div(t[1].Abs().Add(1f)), r => (r[0] - r[1]) / (r[1].Map(Math.Abs) + 1), gradcheck: false);
    }

    [Test]
    public void UnaryOnAStridedView() =>
        Check([M], t => t[0].T.Sigmoid().Add(t[0].T.Exp()), r => r[0].Transpose(0, 1).Map(x => 1 / (1 + Math.Exp(-x)) + Math.Exp(x)),
              gradcheck: false);

    [TestCase(0)]
    [TestCase(1)]
    public void SumMaxArgMaxOverADim(int dim)
    {
        Check([M], t => t[0].Sum(dim), r => r[0].Sum(dim), atol: 1e-3, gradcheck: false);
        Check([M], t => t[0].Mean(dim, keepDim: true), r => r[0].Mean(dim, true), gradcheck: false);
        Check([M], t => t[0].Max(dim).Values, r => r[0].Max(dim), gradcheck: false, init: Distinct);
        Check([M], t => t[0].Min(dim).Indices, r => r[0].ArgMin(dim), atol: 0, gradcheck: false, init: Distinct);
    }

    [Test]
    public void FullSumIsAccurate()
    {
        Check([[100_003]], t => t[0].Sum(), r => r[0].Sum(), atol: 1e-2, gradcheck: false);
        Check([[100_003]], t => t[0].Add(10f).Mean(), r => (r[0] + 10).Mean(), atol: 1e-5, gradcheck: false);
        Check([[1000, 200]], t => t[0].Max(), r => r[0].Max(), gradcheck: false, init: Distinct);
    }

    [TestCase(0)]
    [TestCase(1)]
    public void Softmax(int dim)
    {
        Check([M], t => t[0].Softmax(dim), r => r[0].Softmax(dim), gradcheck: false);
        Check([M], t => t[0].LogSoftmax(dim), r => r[0].LogSoftmax(dim), gradcheck: false);
    }

    [Test]
    public void MatMul() =>
        Check([[3, 40, 70], [70, 50]], t => t[0].MatMul(t[1]), r => RefArray.MatMul(r[0], r[1]), atol: 1e-4, gradcheck: false);

    [Test]
    public void BroadcastGradientsAreSummedBack()
    {
        var g = new Generator(9);
        var x = Tensor.Randn(M, g, requiresGrad: true);
        var y = Tensor.Randn([263], g, requiresGrad: true);
        x.Mul(y).Sum().Backward();
        OpTester.AssertClose(y.Grad!, RefArray.Of(x).Sum(0), atol: 1e-3);
        OpTester.AssertClose(x.Grad!, RefArray.Of(y).Expand(M));
    }
}
