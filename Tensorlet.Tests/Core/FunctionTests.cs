using static Tensorlet.Tests.Core.OpTester;
using static Tensorlet.Tests.Core.CustomFunctions;

namespace Tensorlet.Tests.Core;

/// <summary>The public custom-op API: user-written forward and backward, recorded in the graph and graded by GradCheck.</summary>
public class FunctionTests
{
    [Test]
    public void SwishMatchesItsDefinitionAndPassesGradCheck() =>
        Check([[3, 4]], t => new Swish().Apply(t[0]), r => r[0].Map(x => x / (1 + Math.Exp(-x))));

    [Test]
    public void CustomClampPassesGradCheckAwayFromItsKinks() =>
        Check([[4, 5]], t => new Clamp(-0.5f, 0.7f).Apply(t[0]), r => r[0].Map(x => Math.Clamp(x, -0.5, 0.7)), init: Distinct);

    [Test]
    public void AWrongBackwardIsCaughtByGradCheck()
    {
        var x = Tensor.Randn([5], new Generator(3), requiresGrad: true);
        var result = GradCheck.Run(t => new WrongSquare().Apply(t[0]), [x]);
        Assert.That(result.Passed, Is.False, result.ToString());
    }

    [Test]
    public void RecordsANamedNodeAndComposesWithBuiltInOps()
    {
        var x = Tensor.FromArray([1f, -2f, 3f], [3], requiresGrad: true);
        var y = new Swish().Apply(x.Mul(2f));
        Assert.That(y.GradFn!.Name, Is.EqualTo("SwishBackward"));
        Assert.That(y.GradFn.Next[0]!.Name, Is.EqualTo("MulBackward"));
        y.Sum().Backward();
        // d/dx swish(2x) = 2·σ(2x)·(1 + 2x·(1 − σ(2x))).
        var expected = new[] { 1.0, -2.0, 3.0 }.Select(v =>
        {
            double s = 1 / (1 + Math.Exp(-2 * v));
            return (float)(2 * s * (1 + 2 * v * (1 - s)));
        });
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(expected).Within(1e-5));
    }

    [Test]
    public void ForwardRunsWithoutRecordingAndConstantsGetNoGradient()
    {
        var probe = new Probe();
        var x = Tensor.Ones([2], requiresGrad: true);
        var c = Tensor.Ones(2);
        probe.Apply(x, c).Sum().Backward();
        Assert.That(probe.RecordingInForward, Is.False);
        Assert.That(probe.Needs, Is.EqualTo(new[] { true, false }));
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 1f, 1f }));
        Assert.That(c.Grad, Is.Null);
        // Nothing requires grad: no graph at all.
        Assert.That(new Probe().Apply(Tensor.Ones(2), Tensor.Ones(2)).GradFn, Is.Null);
    }

    [Test]
    public void ReturningAnInputUnchangedStillGivesANewNode()
    {
        var x = Tensor.Ones([2], requiresGrad: true);
        var y = new Identity().Apply(x);
        Assert.That(y, Is.Not.SameAs(x));
        Assert.That(x.IsLeaf, Is.True);
        y.Sum().Backward();
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 1f, 1f }));
    }

    [Test]
    public void WrongGradientsFromBackwardNameTheFunctionAndTheShapes()
    {
        var x = Tensor.Ones([2, 3], requiresGrad: true);
        Throws(() => new Bad(BadKind.Shape).Apply(x).Sum().Backward(), "Bad.Backward", "input 0", "[3, 2]", "[2, 3]");
        Throws(() => new Bad(BadKind.Count).Apply(x).Sum().Backward(), "Bad.Backward", "2 gradient(s) for 1 input(s)");
        Throws(() => new Bad(BadKind.Null).Apply(x).Sum().Backward(), "Bad.Backward returned null");
        Throws(() => new Bad(BadKind.Shape).Apply(), "Bad.Apply", "at least one input");
        Throws(() => new Probe().Apply(x, null!), "Probe.Apply", "input 1 is null");
        Throws(() => new NullForward().Apply(x), "NullForward.Forward returned null");
        var ctx = new Probe();
        Throws(() => ctx.Apply(x, x, x), "NeedsInputGrad(3)", "3 input(s)");
    }

    // Records what its forward saw; y = a + b.
    private sealed class Probe : Function
    {
        public bool RecordingInForward { get; private set; }
        public bool[] Needs { get; private set; } = [];

        protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs)
        {
            RecordingInForward = GradMode.IsEnabled;
            Needs = Enumerable.Range(0, ctx.InputCount).Select(ctx.NeedsInputGrad).ToArray();
            if (inputs.Length == 3) ctx.NeedsInputGrad(3);
            return inputs[0].Add(inputs[1]);
        }

        protected override Tensor?[] Backward(FunctionContext ctx, Tensor g) =>
            [ctx.NeedsInputGrad(0) ? g : null, ctx.NeedsInputGrad(1) ? g : null];
    }

    private sealed class Identity : Function
    {
        protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs) => inputs[0];
        protected override Tensor?[] Backward(FunctionContext ctx, Tensor g) => [g];
    }

    private sealed class NullForward : Function
    {
        protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs) => null!;
        protected override Tensor?[] Backward(FunctionContext ctx, Tensor g) => [g];
    }

    private enum BadKind { Shape, Count, Null }

    private sealed class Bad(BadKind kind) : Function
    {
        protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs) => inputs[0].Mul(2f);

        protected override Tensor?[] Backward(FunctionContext ctx, Tensor g) => kind switch
        {
            BadKind.Shape => [g.T],
            BadKind.Count => [g, g],
            _ => null!,
        };
    }
}
