namespace Tensorlet.Tests.Core;

public class AutogradTests
{
    [Test]
    public void GradientsAccumulateWhenATensorIsUsedTwice()
    {
        var x = Tensor.FromArray([1f, 2f, 3f], [3], requiresGrad: true);
        var y = x.Mul(x).Add(x).Sum(); // d/dx (x² + x) = 2x + 1
        y.Backward();
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 3f, 5f, 7f }));
    }

    [Test]
    public void BackwardAccumulatesAcrossCallsUntilZeroGrad()
    {
        var x = Tensor.FromArray([2f], [1], requiresGrad: true);
        x.Mul(3f).Sum().Backward();
        x.Mul(3f).Sum().Backward();
        Assert.That(x.Grad!.Item(), Is.EqualTo(6f));
    }

    [Test]
    public void GraphIsFreedAfterBackward()
    {
        var x = Tensor.FromArray([2f], [1], requiresGrad: true);
        var y = x.Exp().Sum();
        y.Backward();
        Assert.That(y.GradFn!.IsReleased, Is.True);
        var ex = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.That(ex!.Message, Does.Contain("second time"));
    }

    [Test]
    public void RetainGraphAllowsASecondBackward()
    {
        var x = Tensor.FromArray([2f], [1], requiresGrad: true);
        var y = x.Mul(x).Sum();
        y.Backward(retainGraph: true);
        y.Backward();
        Assert.That(x.Grad!.Item(), Is.EqualTo(8f));
    }

    [Test]
    public void NoGradRecordsNothing()
    {
        var x = Tensor.FromArray([2f], [1], requiresGrad: true);
        Tensor y;
        using (GradMode.NoGrad()) y = x.Mul(x);
        Assert.That(y.RequiresGrad, Is.False);
        Assert.That(y.GradFn, Is.Null);
    }

    [Test]
    public void DetachCutsTheGraph()
    {
        var x = Tensor.FromArray([3f], [1], requiresGrad: true);
        var y = x.Mul(x.Detach()).Sum(); // d/dx = detached x
        y.Backward();
        Assert.That(x.Grad!.Item(), Is.EqualTo(3f));
    }

    [Test]
    public void BackwardOnNonScalarNeedsAGradient()
    {
        var x = Tensor.FromArray([1f, 2f], [2], requiresGrad: true);
        var ex = Assert.Throws<InvalidOperationException>(() => x.Mul(2f).Backward());
        Assert.That(ex!.Message, Does.Contain("[2]"));
    }

    [Test]
    public void DeepChainsDoNotOverflowTheStack()
    {
        var x = Tensor.FromArray([1f], [1], requiresGrad: true);
        var y = x;
        for (int i = 0; i < 20000; i++) y = y.Add(0f);
        y.Sum().Backward();
        Assert.That(x.Grad!.Item(), Is.EqualTo(1f));
    }

    [Test]
    public void ScopeReturnsMemoryToThePool()
    {
        var backend = Device.Cpu.Backend;
        using (TensorScope.Begin()) { Tensor.Zeros(1000).Add(1f).Sum(); }
        TrainingMemoryTests.Settle(); // no finaliser may hand memory back while the pool is counted
        long before = backend.LiveBytes;
        for (int i = 0; i < 10; i++)
            using (TensorScope.Begin()) { Tensor.Zeros(1000).Add(1f).Sum(); }
        Assert.That(backend.LiveBytes, Is.EqualTo(before));
    }

    [Test]
    public void GradCheckCatchesAWrongBackward()
    {
        var x = Tensor.Randn([5], new Generator(3), requiresGrad: true);
        var bad = GradCheck.Run(t => new CustomFunctions.WrongSquare().Apply(t[0]), [x]);
        Assert.That(bad.Passed, Is.False, bad.ToString());
        var good = GradCheck.Run(t => t[0].Mul(t[0]), [x]);
        Assert.That(good.Passed, Is.True, good.ToString());
    }
}
