using static Tensorlet.Tests.Core.OpTester;

namespace Tensorlet.Tests.Core;

// The helper must fail loudly, or every green op test means nothing.
public class OpTesterTests
{
    [Test]
    public void AWrongForwardFails() =>
        Assert.Throws<AssertionException>(() => Check([[3]], t => t[0].Mul(2f), r => r[0] * 2.001, gradcheck: false));

    [Test]
    public void AWrongShapeFails() =>
        Assert.Throws<AssertionException>(() => Check([[3, 1]], t => t[0], r => r[0].Reshape([3]), gradcheck: false));

    [Test]
    public void AWrongGradientFails()
    {
        Assert.Throws<AssertionException>(() => Check([[3]], t => new CustomFunctions.WrongSquare().Apply(t[0]), r => r[0] * r[0]));
    }

    [Test]
    public void ReferenceMatMulFollowsTorchRules()
    {
        var a = RefArray.Of([2, 2], 1, 2, 3, 4);
        var v = RefArray.Of([2], 1, -1);
        Assert.That(RefArray.MatMul(a, v).Data, Is.EqualTo(new double[] { -1, -1 }));
        Assert.That(RefArray.MatMul(v, a).Data, Is.EqualTo(new double[] { -2, -2 }));
        Assert.That(RefArray.MatMul(v, v).Shape, Is.Empty);
    }
}
