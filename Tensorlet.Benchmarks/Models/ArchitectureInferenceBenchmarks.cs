using BenchmarkDotNet.Attributes;
using Tensorlet.Models;
using Tensorlet.NN;

namespace Tensorlet.Benchmarks.Models;

/// <summary>
/// Inference next to <see cref="ArchitectureTrainingBenchmarks"/>: one forward pass of the same configurations at CIFAR
/// size, batch 64, eval mode (batch norm with running statistics, no dropout) under <see cref="GradMode.NoGrad"/> (no
/// graph recorded), 2 threads. Images/s = 64 / Mean; the ratio to the training step shows what the backward pass and the
/// optimizer cost on top.
/// </summary>
[MemoryDiagnoser]
public class ArchitectureInferenceBenchmarks
{
    private Module _model = null!;
    private Tensor _x = null!;

    [ParamsSource(nameof(Architectures))]
    public string Model = "resnet20-b";

    [Params(64)] public int Batch;

    public static IEnumerable<string> Architectures => ArchitectureTrainingBenchmarks.Architectures;

    [GlobalSetup]
    public void Setup()
    {
        Threads.Count = 2;
        var gen = new Generator(1);
        _model = ModelZoo.Get(Model).Create(3, 10, gen);
        _model.Eval();
        _x = Tensor.Randn([Batch, 3, 32, 32], gen);
    }

    [Benchmark]
    public float Forward()
    {
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        // Reading one logit back keeps the forward pass from being anything but complete.
        return _model.Call(_x).Flatten().Narrow(0, 0, 1).Item();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _model.Dispose();
        _x.Dispose();
        Device.Cpu.Backend.TrimPool(); // in-process runs (CI's dry run) must not carry one model's buffers into the next
    }
}
