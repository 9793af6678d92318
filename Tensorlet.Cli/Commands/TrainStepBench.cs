using Tensorlet.Cli.Bench;
using Tensorlet.Models;
using Tensorlet.Optim;

namespace Tensorlet.Cli.Commands;

/// <summary>
/// The training-step cases of <c>tensorlet bench</c> (<see cref="TrainStepSpec"/>): a model from the zoo on the device,
/// SGD with momentum, cross-entropy on a fixed random batch. Lives beside the command, not in Bench/, because Bench/ is
/// also compiled into the libtorch harness, which does not reference Tensorlet.Models.
/// </summary>
public static class TrainStepBench
{
    /// <summary>Builds the model, optimizer and batch on <paramref name="device"/>; the function runs one step and returns the loss.</summary>
    public static Func<Tensor> Create(TrainStepSpec spec, Device device, List<IDisposable> disposables)
    {
        var entry = ModelZoo.Get(spec.Model);
        var generator = new Generator(42);
        var model = entry.Create(spec.Channels, 10, generator).To(device);
        var optimizer = new SGD(model.Parameters(), 0.01f, momentum: 0.9f);
        var images = Tensor.Rand([spec.Batch, spec.Channels, spec.Side, spec.Side], generator).To(device);
        var labels = Tensor.FromArray(Enumerable.Range(0, spec.Batch).Select(i => (float)(i % 10)).ToArray(), [spec.Batch], device);
        disposables.AddRange([optimizer, model, images, labels]);
        return () =>
        {
            var loss = F.CrossEntropy(model.Call(images), labels);
            optimizer.ZeroGrad();
            loss.Backward();
            optimizer.Step();
            return loss;
        };
    }
}
