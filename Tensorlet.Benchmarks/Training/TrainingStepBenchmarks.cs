using BenchmarkDotNet.Attributes;
using Tensorlet.Models;
using Tensorlet.NN;

namespace Tensorlet.Benchmarks.Training;

/// <summary>
/// A training step of the models <c>tensorlet train</c> uses on Fashion-MNIST (the 784-256-10 MLP and the default
/// SmallCnn), batch 64. MemoryDiagnoser's "Allocated" column is the managed memory a step allocates after warm-up:
/// tensor objects and graph nodes only, since every float buffer comes from the pool.
/// </summary>
public class TrainingStepBenchmarks : TrainingStepBase
{
    [Params("mlp", "cnn")] public string Model = "mlp";

    protected override int[] ImageShape => [1, 28, 28];

    protected override Module CreateModel(Generator generator) =>
        Model == "mlp" ? new Mlp(784, [256], 10, generator) : new SmallCnn(1, 10, 32, generator);
}
