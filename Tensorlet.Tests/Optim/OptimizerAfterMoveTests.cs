using Tensorlet.NN;
using Tensorlet.Optim;

namespace Tensorlet.Tests.Optim;

/// <summary>
/// <see cref="Module.To"/> moves data behind the same parameter objects, so an optimizer made before the move trains
/// the model exactly like one made after it (issue 14: it used to keep the disposed old parameters and do nothing).
/// </summary>
public class OptimizerAfterMoveTests
{
    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (var optimizer in new[] { "sgd", "adam" })
            foreach (bool before in new[] { true, false })
            {
                yield return new TestCaseData(optimizer, before, new[] { "ilgpu-cpu" });
                yield return new TestCaseData(optimizer, before, new[] { "ilgpu-cpu", "cpu" });
            }
    }

    private static Optimizer Create(string name, Module model) => name == "sgd"
        ? new SGD(model.Parameters(), 0.1f, momentum: 0.9f)
        : new Adam(model.Parameters(), 0.05f);

    private static void Train(Module model, Optimizer optimizer, Device device, int steps, int first = 0)
    {
        for (int i = first; i < first + steps; i++)
            using (TensorScope.Begin())
            {
                var x = Tensor.Randn([4, 3], new Generator((ulong)i)).To(device);
                var loss = model.Call(x).Pow(2).Mean();
                optimizer.ZeroGrad();
                loss.Backward();
                optimizer.Step();
            }
    }

    [TestCaseSource(nameof(Cases))]
    public void OptimizerTrainsTheModelWhetherMadeBeforeOrAfterTo(string name, bool optimizerFirst, string[] moves)
    {
        using var reference = new Linear(3, 2, generator: new Generator(11));
        using var referenceOptimizer = Create(name, reference);
        var initial = reference.Weight.ToArray();
        Train(reference, referenceOptimizer, Device.Cpu, 3);

        using var model = new Linear(3, 2, generator: new Generator(11));
        var parameters = model.Parameters().ToArray();
        Optimizer? optimizer = optimizerFirst ? Create(name, model) : null;
        foreach (var move in moves) model.To(Device.Parse(move));
        optimizer ??= Create(name, model);
        using (optimizer)
        {
            var device = Device.Parse(moves[^1]);
            Assert.That(model.Parameters(), Is.EqualTo(parameters).Using<Tensor>(ReferenceEquals), "To keeps the parameter objects");
            Assert.That(model.Weight.Device, Is.EqualTo(device));
            Train(model, optimizer, device, 3);
        }

        Assert.That(reference.Weight.ToArray(), Is.Not.EqualTo(initial), "the reference run moved the weights");
        Assert.That(model.Weight.ToArray(), Is.EqualTo(reference.Weight.ToArray()).Within(1e-5f));
        Assert.That(model.Bias!.ToArray(), Is.EqualTo(reference.Bias!.ToArray()).Within(1e-5f));
    }

    [Test]
    public void StateMadeBeforeAMoveFollowsTheParameters()
    {
        using var reference = new Linear(3, 2, generator: new Generator(4));
        using var referenceOptimizer = new Adam(reference.Parameters(), 0.05f);
        Train(reference, referenceOptimizer, Device.Cpu, 4);

        using var model = new Linear(3, 2, generator: new Generator(4));
        using var optimizer = new Adam(model.Parameters(), 0.05f);
        Train(model, optimizer, Device.Cpu, 2);
        model.To(Device.IlgpuCpu);
        Train(model, optimizer, Device.IlgpuCpu, 2, first: 2);

        Assert.That(optimizer.StateTensors().Values.Select(t => t.Device), Is.All.EqualTo(Device.IlgpuCpu));
        Assert.That(model.Weight.ToArray(), Is.EqualTo(reference.Weight.ToArray()).Within(1e-5f));
    }

    [Test]
    public void GradientsMoveWithTheirParameters()
    {
        using var model = new Linear(3, 2, generator: new Generator(2));
        using (TensorScope.Begin()) model.Call(Tensor.Ones(1, 3)).Sum().Backward();
        var grad = model.Weight.Grad!.ToArray();
        model.To(Device.IlgpuCpu);
        Assert.That(model.Weight.Grad!.Device, Is.EqualTo(Device.IlgpuCpu));
        Assert.That(model.Weight.Grad.ToArray(), Is.EqualTo(grad));
    }
}
