using static Tensorlet.Tests.Core.OpTester;

namespace Tensorlet.Tests.Core;

public class MathTests
{
    private static readonly int[] S = [3, 4];

    [Test] public void Exp() => Check([S], t => t[0].Exp(), r => r[0].Map(Math.Exp), rtol: 1e-5);
    [Test] public void Log() => Check([S], t => t[0].Log(), r => r[0].Map(Math.Log), init: Positive);
    [Test] public void Sqrt() => Check([S], t => t[0].Sqrt(), r => r[0].Map(Math.Sqrt), init: Positive);
    [Test] public void Abs() => Check([S], t => t[0].Abs(), r => r[0].Map(Math.Abs), init: Distinct);
    [Test] public void Relu() => Check([S], t => t[0].Relu(), r => r[0].Map(x => Math.Max(x, 0)), init: Distinct);
    [TestCase(new[] { 3, 4 }, new[] { 3, 4 })]
    [TestCase(new[] { 2, 3, 4 }, new[] { 3, 1 })]
    public void AddRelu(int[] a, int[] b)
    {
        // The second input on a quarter-size grid: every sum is then at least 0.0125 from the kink at 0.
        int calls = 0;
        OpTester.Init init = (g, shape) => calls++ == 0 ? Distinct(g, shape) : Distinct(g, shape).Select(v => v / 4).ToArray();
        Check([a, b], t => t[0].AddRelu(t[1]), r => RefArray.Zip(r[0], r[1], (x, y) => Math.Max(x + y, 0)), init: init);
    }

    [Test]
    public void AddReluIsAddThenRelu()
    {
        var x = Tensor.FromArray([-1f, 2f, -3f, 0.5f, float.NaN, 0f], [6], requiresGrad: true);
        var y = Tensor.FromArray([0.5f, -3f, 3f, 0.5f, 1f, 0f], [6], requiresGrad: true);
        var fused = x.AddRelu(y);
        var plain = x.Add(y).Relu();
        Assert.That(fused.ToArray(), Is.EqualTo(plain.ToArray()));
        fused.Sum().Backward();
        var (gx, gy) = (x.Grad!.ToArray(), y.Grad!.ToArray());
        x.Grad = null;
        y.Grad = null;
        plain.Sum().Backward();
        Assert.That(gx, Is.EqualTo(x.Grad!.ToArray()), "relu'(0) = 0 and NaN passes no gradient, as Add then Relu");
        Assert.That(gy, Is.EqualTo(y.Grad!.ToArray()));
    }

    [Test] public void Sigmoid() => Check([S], t => t[0].Sigmoid(), r => r[0].Map(x => 1 / (1 + Math.Exp(-x))));
    [Test] public void Tanh() => Check([S], t => t[0].Tanh(), r => r[0].Map(Math.Tanh));

    [TestCase(0.01f)]
    [TestCase(0.2f)]
    public void LeakyRelu(float slope) =>
        Check([S], t => t[0].LeakyRelu(slope), r => r[0].Map(x => x > 0 ? x : slope * x), init: Distinct);

    [TestCase(-0.3f, 0.4f)]
    [TestCase(float.NegativeInfinity, 0.2f)]
    [TestCase(-0.2f, float.PositiveInfinity)]
    public void Clamp(float lo, float hi) =>
        Check([S], t => t[0].Clamp(lo, hi), r => r[0].Map(x => Math.Clamp(x, lo, hi)), init: Distinct);

    [Test]
    public void SaturatedFunctionsStayFinite()
    {
        var x = T([4], -100f, -30f, 30f, 100f);
        Assert.That(x.Sigmoid().ToArray(), Is.EqualTo(new[] { 0f, 9.357623e-14f, 1f, 1f }).Within(1e-6));
        Assert.That(x.Tanh().ToArray(), Is.EqualTo(new[] { -1f, -1f, 1f, 1f }));
    }

    [Test]
    public void GradientsAtTheKinksFollowPyTorch()
    {
        // relu'(0) = 0, |x|'(0) = 0, leaky_relu'(0) = slope, and clamp passes the gradient at its bounds.
        static float[] Grad(Func<Tensor, Tensor> f, float x0)
        {
            var x = Tensor.FromArray([x0], [1], requiresGrad: true);
            f(x).Sum().Backward();
            return x.Grad!.ToArray();
        }
        Assert.That(Grad(x => x.Relu(), 0f), Is.EqualTo(new[] { 0f }));
        Assert.That(Grad(x => x.Abs(), 0f), Is.EqualTo(new[] { 0f }));
        Assert.That(Grad(x => x.LeakyRelu(0.1f), 0f), Is.EqualTo(new[] { 0.1f }));
        Assert.That(Grad(x => x.Clamp(-1f, 1f), 1f), Is.EqualTo(new[] { 1f }));
        Assert.That(Grad(x => x.Clamp(-1f, 1f), 2f), Is.EqualTo(new[] { 0f }));
    }

    [Test]
    public void ClampRejectsMinAboveMax() => Throws(() => Tensor.Zeros(2).Clamp(1f, 0f), "Clamp", "min");

    [Test]
    public void FunctionalFormsMatchTheMethods()
    {
        var x = T([3], -1f, 0.5f, 2f);
        Assert.That(F.Relu(x).ToArray(), Is.EqualTo(x.Relu().ToArray()));
        Assert.That(F.LeakyRelu(x, 0.3f).ToArray(), Is.EqualTo(x.LeakyRelu(0.3f).ToArray()));
        Assert.That(F.Sigmoid(x).ToArray(), Is.EqualTo(x.Sigmoid().ToArray()));
        Assert.That(F.Tanh(x).ToArray(), Is.EqualTo(x.Tanh().ToArray()));
    }
}
