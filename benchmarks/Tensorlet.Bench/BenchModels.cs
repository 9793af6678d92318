using Tensorlet.Models;
using Tensorlet.NN;
using Tensorlet.Optim;

namespace Tensorlet.Bench;

/// <summary>
/// The whole-model cases: one CIFAR configuration of each of the eight families, which the libtorch harness rebuilds op
/// for op in TorchSharp (its parameter counts are checked against these). Names are <see cref="ModelZoo"/> names, except
/// the ResNeXt, whose zoo configurations are either the paper's 34 M-parameter network or a seconds-long toy.
/// </summary>
public static class BenchModels
{
    /// <summary>ResNeXt-29 at reduced width: 8 groups of 16 channels at the first stage, stem width 32.</summary>
    public const string ResNeXt29Narrow = "resnext29-8x16d-w32";

    /// <summary>The eight configurations, in the order they run.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "resnet20-b", "densenet-bc100-k12", "vgg11-cifar", "nin-cifar10", "se-resnet20", ResNeXt29Narrow, "crelu-half",
        "cliquenet-t12-k36",
    ];

    /// <summary>Builds <paramref name="name"/> for images of <paramref name="channels"/> channels and 10 classes.</summary>
    public static Module Create(string name, int channels, Generator generator) => name == ResNeXt29Narrow
        ? ResNeXt.Cifar(29, 8, 16, numClasses: 10, inChannels: channels, stemWidth: 32, generator: generator)
        : ModelZoo.Get(name).Create(channels, 10, generator);

    private static readonly Dictionary<string, (long Parameters, double Flops)> Measured = new();

    /// <summary>Forward FLOPs of one 3×32×32 image (a multiply-add counts 2), from shapes alone on the meta device.</summary>
    public static double ForwardFlops(string name) => Describe(name).Flops;

    /// <summary>Learnable parameters of <paramref name="name"/> (the harness asserts libtorch's twin has as many).</summary>
    public static long Parameters(string name) => Describe(name).Parameters;

    private static (long Parameters, double Flops) Describe(string name)
    {
        lock (Measured)
        {
            if (Measured.TryGetValue(name, out var known)) return known;
            using (Device.Meta.AsDefault())
            using (var model = Create(name, 3, new Generator(0)))
            {
                var summary = model.Summary(1, 3, 32, 32);
                return Measured[name] = (summary.TotalParameters, summary.TotalFlops);
            }
        }
    }

    /// <summary>
    /// Builds the model, optimizer and batch of <paramref name="spec"/> on <paramref name="device"/>; the function runs
    /// one training step (returning the loss) or one inference (returning the logits).
    /// </summary>
    public static Func<Tensor> Step(ModelSpec spec, Device device, List<IDisposable> disposables)
    {
        var generator = new Generator(42);
        var model = Create(spec.Model, spec.Channels, generator).To(device);
        var images = Tensor.Rand([spec.Batch, spec.Channels, spec.Side, spec.Side], generator).To(device);
        var labels = Tensor.FromArray(Enumerable.Range(0, spec.Batch).Select(i => (float)(i % 10)).ToArray(), [spec.Batch], device);
        disposables.AddRange([model, images, labels]);
        if (!spec.Training)
        {
            model.Eval();
            return () =>
            {
                using (GradMode.NoGrad()) return model.Call(images);
            };
        }
        var optimizer = new SGD(model.Parameters(), 0.01f, momentum: 0.9f);
        disposables.Add(optimizer);
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
