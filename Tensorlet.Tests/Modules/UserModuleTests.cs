using Tensorlet.Data;
using Tensorlet.NN;
using Tensorlet.Optim;

namespace Tensorlet.Tests.Modules;

/// <summary>The user-defined module of docs/layers.md, compiled and trained, so the documented example cannot rot.</summary>
public class UserModuleTests
{
    private sealed class ResidualMlp : Module
    {
        private readonly Linear _in, _hidden, _out;

        public ResidualMlp(int inputs, int width, int classes, Generator gen)
        {
            _in = RegisterModule("in", new Linear(inputs, width, generator: gen));
            _hidden = RegisterModule("hidden", new Linear(width, width, generator: gen));
            _out = RegisterModule("out", new Linear(width, classes, generator: gen));
        }

        public override Tensor Forward(Tensor x)
        {
            var h = _in.Call(x.Flatten(1)).Relu();
            h = h.Add(_hidden.Call(h).Relu());
            return _out.Call(h);
        }
    }

    [Test]
    public void DocumentedModuleRegistersNestedNamesAndLearns()
    {
        using var model = new ResidualMlp(784, 64, 10, new Generator(0));
        Assert.That(model.StateDict().Keys, Is.EquivalentTo(new[] { "in.weight", "in.bias", "hidden.weight", "hidden.bias", "out.weight", "out.bias" }));
        Assert.That(model.ParameterCount(), Is.EqualTo(784 * 64 + 64 + 64 * 64 + 64 + 64 * 10 + 10));

        using var opt = new SGD(model.Parameters(), lr: 0.05f, momentum: 0.9f);
        var loader = new DataLoader(FashionMnist.LoadSample(train: true), batchSize: 64, shuffle: true, generator: new Generator(1));
        float first = float.NaN, last = 0;
        int steps = 0;
        foreach (var batch in loader.Epoch())
        {
            using var scope = TensorScope.Begin();
            var loss = F.CrossEntropy(model.Call(batch.Images), batch.Labels);
            opt.ZeroGrad();
            loss.Backward();
            opt.Step();
            last = loss.Item();
            if (float.IsNaN(first)) first = last;
            if (++steps == 60) break;
        }
        Assert.That(last, Is.LessThan(first * 0.6f), $"loss went from {first} to {last}");
    }

    [Test]
    public void SummaryListsEveryLayerWithShapesParametersAndFlops()
    {
        using var model = new Sequential(new Flatten(), new Linear(784, 32), new ReLU(), new Linear(32, 10));
        var summary = model.Summary(1, 1, 28, 28);
        Assert.That(summary.TotalParameters, Is.EqualTo(784 * 32 + 32 + 32 * 10 + 10));
        Assert.That(summary.TotalFlops, Is.EqualTo(2.0 * (784 * 32 + 32 * 10)));
        Assert.That(summary.Layers.Select(l => l.Name), Is.EqualTo(new[] { "", "0", "1", "2", "3" }));
        Assert.That(summary.Layers[2].OutputShape, Is.EqualTo(new[] { 1, 32 }));
        Assert.That(summary.ToString(), Does.Contain("Total parameters: 25,450"));
    }

    [Test]
    public void LoadStateDictListsEveryProblem()
    {
        using var a = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
        using var b = new Sequential(new Linear(4, 5), new ReLU());
        var ex = Assert.Throws<InvalidDataException>(() => a.LoadStateDict(b.StateDict()));
        Assert.That(ex!.Message, Does.Contain("size mismatch for '0.weight'").And.Contain("[5, 4]").And.Contain("[3, 4]"));
        Assert.That(ex.Message, Does.Contain("missing key '2.weight'"));
    }
}
