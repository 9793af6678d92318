using Tensorlet.Optim;

namespace Tensorlet.Tests.Optim;

/// <summary>Optimizers refuse NaN, infinite and negative hyper-parameters, naming the argument (NaN used to slip through).</summary>
public class OptimizerArgumentTests
{
    private static Tensor[] Parameters() => [Tensor.Zeros([2], requiresGrad: true)];

    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (float bad in new[] { float.NaN, float.PositiveInfinity, -1f })
        {
            yield return new TestCaseData(new TestDelegate(() => new SGD(Parameters(), bad)), "lr").SetArgDisplayNames("SGD lr", bad.ToString());
            yield return new TestCaseData(new TestDelegate(() => new SGD(Parameters(), 0.1f, momentum: bad)), "momentum").SetArgDisplayNames("SGD momentum", bad.ToString());
            yield return new TestCaseData(new TestDelegate(() => new SGD(Parameters(), 0.1f, dampening: bad)), "dampening").SetArgDisplayNames("SGD dampening", bad.ToString());
            yield return new TestCaseData(new TestDelegate(() => new SGD(Parameters(), 0.1f, weightDecay: bad)), "weightDecay").SetArgDisplayNames("SGD weightDecay", bad.ToString());
            yield return new TestCaseData(new TestDelegate(() => new Adam(Parameters(), bad)), "lr").SetArgDisplayNames("Adam lr", bad.ToString());
            yield return new TestCaseData(new TestDelegate(() => new Adam(Parameters(), eps: bad)), "eps").SetArgDisplayNames("Adam eps", bad.ToString());
            yield return new TestCaseData(new TestDelegate(() => new Adam(Parameters(), beta1: bad)), "beta1").SetArgDisplayNames("Adam beta1", bad.ToString());
            yield return new TestCaseData(new TestDelegate(() => new AdamW(Parameters(), weightDecay: bad)), "weightDecay").SetArgDisplayNames("AdamW weightDecay", bad.ToString());
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void ABadHyperParameterIsRefusedByName(TestDelegate create, string argument)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(create);
        Assert.That(ex!.ParamName, Is.EqualTo(argument));
        Assert.That(ex.Message, Does.Contain(argument));
    }
}
