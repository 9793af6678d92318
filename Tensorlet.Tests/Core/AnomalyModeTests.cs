namespace Tensorlet.Tests.Core;

/// <summary>
/// <see cref="AnomalyMode"/>: the first op whose forward or backward turns finite values into NaN or infinity is named,
/// with its input shapes and the line that created it; outside the scope nothing is checked.
/// </summary>
public class AnomalyModeTests
{
    [Test]
    public void ForwardNaNNamesTheOpItsInputShapeAndTheCaller()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([1f, -2f, 3f], [3], requiresGrad: true);
        NotFiniteNumberException? ex;
        using (AnomalyMode.Detect())
            ex = Assert.Throws<NotFiniteNumberException>(() => x.Mul(2f).Log());
        Assert.That(ex!.Message, Does.Contain("Log produced NaN in its forward").And.Contain("[3]"));
        Assert.That(ex.Message, Does.Contain(nameof(ForwardNaNNamesTheOpItsInputShapeAndTheCaller)), "the trace starts at the caller");
        Assert.That(double.IsNaN(ex.OffendingNumber));
    }

    [Test]
    public void ForwardCheckWorksWithoutAGraphToo()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([0f, 1f], [2]);
        using (AnomalyMode.Detect())
        using (GradMode.NoGrad())
        {
            var ex = Assert.Throws<NotFiniteNumberException>(() => x.Log());
            Assert.That(ex!.Message, Does.Contain("Log produced -infinity"));
        }
    }

    [Test]
    public void BackwardInfinityNamesTheNodeAndWhereItWasCreated()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([0f, 4f], [2], requiresGrad: true);
        using (AnomalyMode.Detect())
        {
            var y = CreateSqrt(x).Sum();   // finite: sqrt(0) = 0, but d sqrt/dx at 0 is infinite
            var ex = Assert.Throws<NotFiniteNumberException>(() => y.Backward());
            Assert.That(ex!.Message, Does.Contain("SqrtBackward produced +infinity in the gradient of its input 0").And.Contain("[2]"));
            Assert.That(ex.Message, Does.Contain(nameof(CreateSqrt)), "names the code that created the op, not the Backward call");
        }
    }

    private static Tensor CreateSqrt(Tensor x) => x.Sqrt();

    [Test]
    public void NaNEnteringThroughALeafBlamesNoOp()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([float.NaN, 1f], [2], requiresGrad: true);
        using (AnomalyMode.Detect())
        {
            var y = x.Mul(3f).Sum();
            Assert.That(float.IsNaN(y.Item()));
        }
    }

    [Test]
    public void OffByDefaultAndAfterTheScope()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.FromArray([0f], [1], requiresGrad: true);
        using (AnomalyMode.Detect()) Assert.That(AnomalyMode.IsEnabled);
        Assert.That(AnomalyMode.IsEnabled, Is.False);
        var y = x.Sqrt().Sum();
        y.Backward();
        Assert.That(float.IsPositiveInfinity(x.Grad!.ToArray()[0]), "without detection the infinity flows through silently");
    }
}
