using BenchmarkDotNet.Attributes;
using Tensorlet.Benchmarks.Training;
using Tensorlet.Models;
using Tensorlet.NN;

namespace Tensorlet.Benchmarks.Models;

/// <summary>
/// The same training step as <see cref="ArchitectureTrainingBenchmarks"/> (3×32×32, batch 64, SGD with momentum,
/// 2 threads) for the small configuration of each family — the ones the CLI tests train on the Fashion-MNIST sample.
/// Images/s = 64 / Mean.
/// </summary>
public class SmallArchitectureTrainingBenchmarks : TrainingStepBase
{
    [Params("vgg11-cifar-w16", "nin-cifar10-w48-nodrop", "resnet8", "resnext11-4x8d-w16", "densenet-bc16-k12", "se-resnet8",
            "crelu-half-w24-nodrop", "cliquenet-t6-k16-w32-nodrop")]
    public string Model = "resnet8";

    protected override int[] ImageShape => [3, 32, 32];

    protected override Module CreateModel(Generator generator) => ModelZoo.Get(Model).Create(3, 10, generator);
}
