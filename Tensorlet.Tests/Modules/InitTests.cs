using Tensorlet.NN;

namespace Tensorlet.Tests.Modules;

/// <summary>Initialisers against torch.nn.init's formulas: bounds, standard deviations, fans and gains.</summary>
public class InitTests
{
    private static (double Mean, double Std, double MaxAbs) Stats(Tensor t)
    {
        var v = t.ToArray();
        double mean = v.Average(x => (double)x);
        double std = Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
        return (mean, std, v.Max(x => Math.Abs((double)x)));
    }

    [Test]
    public void FansFollowPyTorch()
    {
        Assert.That(Init.Fans([64, 32, 3, 3]), Is.EqualTo((32 * 9, 64 * 9)));
        Assert.That(Init.Fans([10, 784]), Is.EqualTo((784, 10)));
        Assert.Throws<ArgumentException>(() => Init.Fans([5]));
    }

    [Test]
    public void GainsFollowPyTorch()
    {
        Assert.That(Init.Gain("relu"), Is.EqualTo(MathF.Sqrt(2)));
        Assert.That(Init.Gain("tanh"), Is.EqualTo(5f / 3f));
        Assert.That(Init.Gain("leaky_relu", MathF.Sqrt(5)), Is.EqualTo(MathF.Sqrt(2f / 6f)).Within(1e-7));
        Assert.Throws<ArgumentException>(() => Init.Gain("swishy"));
    }

    [Test]
    public void XavierAndKaimingHaveTheDocumentedSpread()
    {
        var gen = new Generator(11);
        var w = Tensor.Zeros(256, 128, 3, 3);
        int fanIn = 128 * 9, fanOut = 256 * 9;

        var s = Stats(Init.XavierUniform(w, gen));
        double a = Math.Sqrt(6.0 / (fanIn + fanOut));
        Assert.That(s.MaxAbs, Is.LessThanOrEqualTo(a));
        Assert.That(s.Std, Is.EqualTo(a / Math.Sqrt(3)).Within(0.01 * a));

        s = Stats(Init.XavierNormal(w, gen));
        Assert.That(s.Std, Is.EqualTo(Math.Sqrt(2.0 / (fanIn + fanOut))).Within(0.01 * s.Std));

        s = Stats(Init.KaimingUniform(w, gen, nonlinearity: "relu"));
        double b = Math.Sqrt(2) * Math.Sqrt(3.0 / fanIn);
        Assert.That(s.MaxAbs, Is.LessThanOrEqualTo(b));
        Assert.That(s.Std, Is.EqualTo(Math.Sqrt(2.0 / fanIn)).Within(0.01 * s.Std));

        s = Stats(Init.KaimingNormal(w, gen, mode: FanMode.FanOut, nonlinearity: "relu"));
        Assert.That(s.Std, Is.EqualTo(Math.Sqrt(2.0 / fanOut)).Within(0.01 * s.Std));
        Assert.That(Math.Abs(s.Mean), Is.LessThan(0.01 * s.Std * 10));
    }

    [Test]
    public void SameSeedSameWeights()
    {
        var a = Init.KaimingUniform(Tensor.Zeros(8, 4), new Generator(3)).ToArray();
        var b = Init.KaimingUniform(Tensor.Zeros(8, 4), new Generator(3)).ToArray();
        Assert.That(a, Is.EqualTo(b));
    }

    [Test]
    public void LayerDefaultsMatchPyTorch()
    {
        // PyTorch: kaiming_uniform(a=√5) on the weight and U(±1/√fan_in) on the bias, i.e. both within 1/√fan_in.
        var conv = new Conv2d(16, 32, 3, generator: new Generator(1));
        double bound = 1 / Math.Sqrt(16 * 9);
        var s = Stats(conv.Weight);
        Assert.That(s.MaxAbs, Is.LessThanOrEqualTo(bound));
        Assert.That(s.Std, Is.EqualTo(bound / Math.Sqrt(3)).Within(0.05 * bound));
        Assert.That(Stats(conv.Bias!).MaxAbs, Is.LessThanOrEqualTo(bound));

        var lin = new Linear(300, 200, generator: new Generator(2));
        bound = 1 / Math.Sqrt(300);
        s = Stats(lin.Weight);
        Assert.That(s.MaxAbs, Is.LessThanOrEqualTo(bound));
        Assert.That(s.Std, Is.EqualTo(bound / Math.Sqrt(3)).Within(0.03 * bound));
    }

    [Test]
    public void LossModulesEqualTheFunctionalForms()
    {
        var logits = Tensor.Randn([4, 5], new Generator(4));
        var target = Tensor.FromArray([0f, 4f, 2f, 1f], [4]);
        Assert.That(new CrossEntropyLoss(labelSmoothing: 0.1f).Call(logits, target).Item(),
                    Is.EqualTo(F.CrossEntropy(logits, target, labelSmoothing: 0.1f).Item()));
        var y = Tensor.Randn([4, 5], new Generator(5));
        Assert.That(new MSELoss(Reduction.Sum).Call(logits, y).Item(), Is.EqualTo(F.MseLoss(logits, y, Reduction.Sum).Item()));
    }
}
