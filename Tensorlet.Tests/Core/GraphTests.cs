using Tensorlet.NN;
using static Tensorlet.Tests.Core.OpTester;

namespace Tensorlet.Tests.Core;

/// <summary>Walking and printing the autograd graph, and recording the gradient norms that flow through it.</summary>
public class GraphTests
{
    private static (Tensor A, Tensor B, Dictionary<Tensor, string> Names) Leaves()
    {
        var a = Tensor.FromArray([1f, 2f], [2], requiresGrad: true);
        var b = Tensor.FromArray([3f, -1f], [2], requiresGrad: true);
        return (a, b, new Dictionary<Tensor, string>(ReferenceEqualityComparer.Instance) { [a] = "a", [b] = "b" });
    }

    [Test]
    public void NodesAreWalkable()
    {
        var (a, b, _) = Leaves();
        var y = a.Mul(b).Add(a).Sum();
        var sum = y.GradFn!;
        Assert.That(sum.Name, Is.EqualTo("SumBackward"));
        Assert.That(sum.OutputShape, Is.Empty);
        var add = sum.Next.Single()!;
        Assert.That(add.Name, Is.EqualTo("AddBackward"));
        Assert.That(add.OutputShape, Is.EqualTo(new[] { 2 }));
        Assert.That(add.Next.Select(n => n?.Name), Is.EqualTo(new[] { "MulBackward", null }));
        Assert.That(add.Inputs[1], Is.SameAs(a));
        Assert.That(add.Next[0]!.Inputs, Is.EqualTo(new[] { a, b }));
    }

    [Test]
    public void ToTextPrintsAnIndentedTree()
    {
        var (a, b, names) = Leaves();
        var y = a.Mul(b).Add(a).Sum();
        Assert.That(Autograd.Graph.ToText(y, names), Is.EqualTo(
            "SumBackward []\n" +
            "  AddBackward [2]\n" +
            "    MulBackward [2]\n" +
            "      leaf a [2]\n" +
            "      leaf b [2]\n" +
            "    leaf a [2]\n"));
    }

    [Test]
    public void SharedSubGraphIsPrintedOnceAndConstantsAreMarked()
    {
        var (a, b, _) = Leaves();
        var h = a.Mul(b);
        var y = h.Add(h.Relu()).Mul(Tensor.Ones(2)).Sum();
        Assert.That(Autograd.Graph.ToText(y), Is.EqualTo(
            "SumBackward []\n" +
            "  MulBackward [2]\n" +
            "    AddBackward [2]\n" +
            "      MulBackward [2] #1\n" +
            "        leaf [2]\n" +
            "        leaf [2]\n" +
            "      ReluBackward [2]\n" +
            "        MulBackward [2] (#1, see above)\n" +
            "    const [2]\n"));
    }

    [Test]
    public void ToDotListsEveryTensorOnceWithAnEdgePerUse()
    {
        var (a, b, names) = Leaves();
        var y = a.Mul(a).Add(b);
        Assert.That(Autograd.Graph.ToDot(y, names), Is.EqualTo(
            "digraph autograd {\n" +
            "  node [fontname=\"Helvetica\", fontsize=10];\n" +
            "  n0 [label=\"AddBackward\\n[2]\", shape=box, penwidth=2];\n" +
            "  n1 [label=\"MulBackward\\n[2]\", shape=box];\n" +
            "  n2 [label=\"leaf a\\n[2]\", shape=ellipse, style=filled, fillcolor=lightblue];\n" +
            "  n3 [label=\"leaf b\\n[2]\", shape=ellipse, style=filled, fillcolor=lightblue];\n" +
            "  n1 -> n0;\n" +
            "  n2 -> n1;\n" +
            "  n2 -> n1;\n" +
            "  n3 -> n0;\n" +
            "}\n"));
    }

    [Test]
    public void RecorderShowsEachGradientNorm()
    {
        var (a, b, names) = Leaves();
        var y = a.Mul(b).Add(a).Sum();
        using var recorder = Autograd.Graph.Record(y, names);
        Assert.That(recorder.ToText(), Does.Contain("leaf a [2]  no grad"));
        y.Backward();
        // dy/d(a·b + a) = [1, 1]; dy/d(a·b) = [1, 1]; dy/da = b + 1 = [4, 0]; dy/db = a = [1, 2].
        Assert.That(recorder.ToText(), Is.EqualTo(
            "SumBackward []  grad norm 1\n" +
            "  AddBackward [2]  grad norm 1.414\n" +
            "    MulBackward [2]  grad norm 1.414\n" +
            "      leaf a [2]  grad norm 4\n" +
            "      leaf b [2]  grad norm 2.236\n" +
            "    leaf a [2]  grad norm 4\n"));
        Assert.That(recorder.GradNorm(b), Is.EqualTo(Math.Sqrt(5)).Within(1e-6));
        Assert.That(recorder.GradNorm(Tensor.Ones(1)), Is.Null);
        Assert.That(a.Grad!.ToArray(), Is.EqualTo(new[] { 4f, 0f }), "recording does not change the gradients");
    }

    [Test]
    public void RecorderWorksOnAModelsTrainingStep()
    {
        var model = new Sequential(new Linear(3, 4, generator: new Generator(1)), new ReLU(), new Linear(4, 2, generator: new Generator(2)));
        var names = model.NamedParameters().ToDictionary(p => p.Parameter, p => p.Name);
        var loss = F.CrossEntropy(model.Call(Tensor.Randn([5, 3], new Generator(4))), Labels(5, 2));
        using var recorder = Autograd.Graph.Record(loss, names);
        loss.Backward();
        var text = recorder.ToText();
        foreach (var (name, p) in model.NamedParameters())
        {
            Assert.That(text, Does.Contain($"leaf {name} {Shape.Format(p.Shape)}  grad norm "));
            double expected = Math.Sqrt(p.Grad!.ToArray().Sum(v => (double)v * v));
            Assert.That(recorder.GradNorm(p), Is.EqualTo(expected).Within(1e-6 * Math.Max(1, expected)), name);
        }
        Assert.That(text, Does.Contain("const [5, 3]"));
        recorder.Dispose();
        Assert.That(text.Split('\n')[0], Does.StartWith(loss.GradFn!.Name));
    }

    [Test]
    public void FreedGraphAndBadRootAreExplained()
    {
        var (a, _, _) = Leaves();
        var y = a.Mul(2f).Sum();
        y.Backward();
        Assert.That(Autograd.Graph.ToText(y), Is.EqualTo("SumBackward [] (freed by Backward)\n"));
        Assert.That(Autograd.Graph.ToText(Tensor.Ones(3)), Is.EqualTo("const [3]\n"));
        Throws(() => Autograd.Graph.Record(Tensor.Ones(3)), "Autograd.Graph.Record", "[3]", "does not require grad");
    }
}
