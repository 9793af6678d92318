using BenchmarkDotNet.Attributes;
using Tensorlet.Benchmarks.Training;
using Tensorlet.Models;
using Tensorlet.NN;

namespace Tensorlet.Benchmarks.Models;

/// <summary>
/// A training step of a small configuration of each architecture at CIFAR size, batch 64, train-mode batch norm, 2
/// threads — the setting libtorch's ResNet-20 figure (≈405 images/s here) was measured in. Images/s = 64 / Mean.
/// ResNeXt-29 (8×64d, 10.8 GFLOPs per image) is left out: its batch-64 activations alone take most of the machine's memory.
/// </summary>
public class ArchitectureTrainingBenchmarks : TrainingStepBase
{
    [ParamsSource(nameof(Architectures))]
    public string Model = "resnet20-b";

    /// <summary>A small configuration of each architecture (shared with <see cref="ArchitectureInferenceBenchmarks"/>).</summary>
    public static IEnumerable<string> Architectures =>
        ["resnet20-b", "resnet20", "se-resnet20", "densenet40-k12", "densenet-bc100-k12", "vgg11-cifar", "nin-cifar10",
         "crelu-half", "cliquenet-t12-k36"];

    protected override int[] ImageShape => [3, 32, 32];

    protected override Module CreateModel(Generator generator) => ModelZoo.Get(Model).Create(3, 10, generator);
}
