using Tensorlet.NN;
using static Tensorlet.Tests.Core.OpTester;

namespace Tensorlet.Tests.Core;

public class DropoutTests
{
    [Test]
    public void SameSeedSameMaskAndRatioAndScaling()
    {
        var x = Tensor.Ones(100_000);
        var a = F.Dropout(x, 0.3f, generator: new Generator(11)).ToArray();
        var b = F.Dropout(x, 0.3f, generator: new Generator(11)).ToArray();
        var c = F.Dropout(x, 0.3f, generator: new Generator(12)).ToArray();
        Assert.That(a, Is.EqualTo(b), "same seed, same mask");
        Assert.That(a, Is.Not.EqualTo(c), "another seed, another mask");
        Assert.That(a.Count(v => v == 0f) / 100_000.0, Is.EqualTo(0.3).Within(0.01), "fraction dropped ≈ p");
        Assert.That(a.Where(v => v != 0f), Is.All.EqualTo(1f / 0.7f), "kept elements are scaled by 1/(1 − p)");
    }

    [Test]
    public void EachCallDrawsANewMask()
    {
        var g = new Generator(3);
        var x = Tensor.Ones(1000);
        Assert.That(F.Dropout(x, 0.5f, generator: g).ToArray(), Is.Not.EqualTo(F.Dropout(x, 0.5f, generator: g).ToArray()));
    }

    [Test]
    public void GradientIsTheMaskTimesG()
    {
        var x = Tensor.Randn([8, 16], new Generator(2), requiresGrad: true);
        var y = F.Dropout(x, 0.4f, generator: new Generator(4));
        var g = Tensor.Randn([8, 16], new Generator(5));
        y.Backward(g);
        var mask = F.Dropout(Tensor.Ones(8, 16), 0.4f, generator: new Generator(4)).ToArray();
        var expected = g.ToArray().Zip(mask, (gi, mi) => gi * mi).ToArray();
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(expected).Within(1e-6));
        Assert.That(y.ToArray(), Is.EqualTo(x.ToArray().Zip(mask, (xi, mi) => xi * mi)).Within(1e-6));
    }

    [Test]
    public void ExtremesAndEvalMode()
    {
        var x = Tensor.Randn([4, 5], new Generator(1));
        Assert.That(F.Dropout(x, 0.5f, training: false), Is.SameAs(x), "eval: identity");
        Assert.That(F.Dropout(x, 0f).ToArray(), Is.EqualTo(x.ToArray()), "p = 0 keeps everything");
        Assert.That(F.Dropout(x, 1f).ToArray(), Is.All.EqualTo(0f), "p = 1 drops everything");
        Throws(() => F.Dropout(x, 1.5f), "Dropout", "[0, 1]");

        var layer = new NN.Dropout(0.5f, new Generator(1));
        Assert.That(layer.ToString(), Is.EqualTo("Dropout(p=0.5, inplace=False)"));
        layer.Eval();
        Assert.That(layer.Forward(x), Is.SameAs(x));
    }

    [Test]
    public void Dropout2dDropsWholeChannels()
    {
        var x = Tensor.Ones(16, 32, 3, 3);
        var y = F.Dropout2d(x, 0.25f, generator: new Generator(8)).ToArray();
        int dropped = 0;
        for (int plane = 0; plane < 16 * 32; plane++)
        {
            var values = y.Skip(plane * 9).Take(9).Distinct().ToArray();
            Assert.That(values, Has.Length.EqualTo(1), $"plane {plane} is all kept or all dropped");
            Assert.That(values[0], Is.EqualTo(0f).Or.EqualTo(1f / 0.75f));
            if (values[0] == 0f) dropped++;
        }
        Assert.That(dropped / 512.0, Is.EqualTo(0.25).Within(0.06));
        var layer = new Dropout2d(0.25f, new Generator(8));
        Assert.That(layer.ToString(), Is.EqualTo("Dropout2d(p=0.25, inplace=False)"));
        Assert.That(layer.Forward(x).ToArray(), Is.EqualTo(y), "the layer draws its seed the same way");
    }

    [Test]
    public void CReLUForwardAndBackward()
    {
        Check([[2, 3, 2, 2]], t => F.CReLU(t[0]), r => RefArray.Cat([r[0].Map(v => Math.Max(v, 0)), r[0].Map(v => Math.Max(-v, 0))], 1),
              init: Distinct);
        var layer = new CReLU();
        Assert.That(layer.Forward(Tensor.Zeros(2, 3, 4)).Shape, Is.EqualTo(new[] { 2, 6, 4 }));
        Assert.That(layer.ToString(), Is.EqualTo("CReLU()"));
        // relu'(0) = 0 on both halves: a zero input gets no gradient.
        var x = Tensor.FromArray([0f, 2f, -3f], [1, 3], requiresGrad: true);
        F.CReLU(x).Sum().Backward();
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 0f, 1f, -1f }));
    }
}
