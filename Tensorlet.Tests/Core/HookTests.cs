using Tensorlet.NN;
using static Tensorlet.Tests.Core.OpTester;

namespace Tensorlet.Tests.Core;

/// <summary>Tensor gradient hooks and module forward hooks.</summary>
public class HookTests
{
    [Test]
    public void IntermediateHookSeesTheGradientAndCanReplaceIt()
    {
        var x = Tensor.FromArray([1f, 2f, 3f], [3], requiresGrad: true);
        var h = x.Mul(x);  // dh/dx = 2x
        float[]? seen = null;
        using (h.RegisterHook(g => { seen = g.ToArray(); return g.Mul(10f); }))
            h.Mul(3f).Sum().Backward();
        Assert.That(seen, Is.EqualTo(new[] { 3f, 3f, 3f }));
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 60f, 120f, 180f }), "the replacement flows on: 10·3·2x");
    }

    [Test]
    public void LeafHookSeesTheSumOverAllUsesOnceBeforeGrad()
    {
        var x = Tensor.FromArray([1f, 2f], [2], requiresGrad: true);
        var calls = new List<float[]>();
        using var handle = x.RegisterHook(g => { calls.Add(g.ToArray()); return g.Mul(2f); });
        x.Mul(3f).Add(x.Mul(x)).Sum().Backward();  // d/dx (3x + x²) = 3 + 2x
        Assert.That(calls, Has.Count.EqualTo(1));
        Assert.That(calls[0], Is.EqualTo(new[] { 5f, 7f }));
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 10f, 14f }));
        // Accumulation into Grad over a second backward goes through the hook again.
        x.Sum().Backward();
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 12f, 16f }));
    }

    [Test]
    public void HookOnTheRootAndOnALeafRoot()
    {
        var x = Tensor.FromArray([2f], [1], requiresGrad: true);
        var y = x.Mul(x).Sum();
        float root = 0;
        using (y.RegisterHook(g => { root = g.ToArray()[0]; return null; })) y.Backward();
        Assert.That(root, Is.EqualTo(1f));
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 4f }));

        var leaf = Tensor.FromArray([5f], [1], requiresGrad: true);
        using (leaf.RegisterHook(g => g.Mul(3f))) leaf.Backward(Tensor.FromArray([2f], [1]));
        Assert.That(leaf.Grad!.ToArray(), Is.EqualTo(new[] { 6f }));
    }

    [Test]
    public void DisposingTheHandleRemovesTheHook()
    {
        var x = Tensor.Ones([2], requiresGrad: true);
        int calls = 0;
        var handle = x.RegisterHook(_ => { calls++; return null; });
        x.Sum().Backward();
        handle.Dispose();
        handle.Dispose();
        x.Sum().Backward();
        Assert.That(calls, Is.EqualTo(1));
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 2f, 2f }));
    }

    [Test]
    public void HookErrorsAreClear()
    {
        Throws(() => Tensor.Ones(2).RegisterHook(g => g), "RegisterHook", "[2]", "does not require grad");
        var x = Tensor.Ones([2, 3], requiresGrad: true);
        var h = x.Mul(2f);
        h.RegisterHook(g => g.Sum());
        Throws(() => h.Sum().Backward(), "hook", "[2, 3]", "MulBackward", "returned a gradient of shape []");
    }

    [Test]
    public void ForwardHooksSeeEveryLayerInputAndOutput()
    {
        var model = new Sequential(new Linear(3, 4, generator: new Generator(1)), new ReLU(), new Linear(4, 2, generator: new Generator(2)));
        var seen = new List<string>();
        var handles = model.NamedModules().Where(m => m.Name != "")
            .Select(m => m.Module.RegisterForwardHook((mod, input, output) =>
                seen.Add($"{m.Name} {mod.GetType().Name} {Shape.Format(input.Shape)} -> {Shape.Format(output.Shape)}")))
            .ToList();
        var pre = new List<string>();
        var preHandle = model.RegisterForwardPreHook((mod, input) => pre.Add($"{mod.GetType().Name} {Shape.Format(input.Shape)}"));
        var y = model.Call(Tensor.Zeros(5, 3));
        Assert.That(seen, Is.EqualTo(new[]
        {
            "0 Linear [5, 3] -> [5, 4]",
            "1 ReLU [5, 4] -> [5, 4]",
            "2 Linear [5, 4] -> [5, 2]",
        }));
        Assert.That(pre, Is.EqualTo(new[] { "Sequential [5, 3]" }));
        Assert.That(y.Shape, Is.EqualTo(new[] { 5, 2 }));

        foreach (var h in handles) h.Dispose();
        preHandle.Dispose();
        model.Call(Tensor.Zeros(1, 3));
        Assert.That(seen, Has.Count.EqualTo(3));
        Assert.That(pre, Has.Count.EqualTo(1));
    }

    [Test]
    public void ForwardHookCanRecordActivations()
    {
        var relu = new ReLU();
        Tensor? activation = null;
        using (relu.RegisterForwardHook((_, _, output) => activation = output))
            relu.Call(Tensor.FromArray([-1f, 2f], [2]));
        Assert.That(activation!.ToArray(), Is.EqualTo(new[] { 0f, 2f }));
        Throws(() => relu.RegisterForwardHook(null!), "hook");
    }
}
