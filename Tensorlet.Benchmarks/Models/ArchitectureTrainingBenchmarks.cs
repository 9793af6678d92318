using BenchmarkDotNet.Attributes;
using Tensorlet.Models;
using Tensorlet.NN;
using Tensorlet.Optim;

namespace Tensorlet.Benchmarks.Models;

/// <summary>
/// One training step (forward, cross-entropy, backward, SGD with momentum) of a small configuration of each
/// architecture at CIFAR size, batch 64, train-mode batch norm — the setting libtorch's ResNet-20 figure (≈405 images/s on
/// this machine, 2 threads) was measured in. Images/s = 64 / Mean. ResNeXt-29 (8×64d, 10.8 GFLOPs per image) is left out:
/// its batch-64 activations alone take most of the machine's memory.
/// </summary>
[MemoryDiagnoser]
public class ArchitectureTrainingBenchmarks
{
    private Module _model = null!;
    private SGD _optimizer = null!;
    private Tensor _x = null!, _y = null!;

    [Params("resnet20-b", "resnet20", "se-resnet20", "densenet40-k12", "densenet-bc100-k12", "vgg11-cifar", "nin-cifar10",
            "crelu-half", "cliquenet-t12-k36")]
    public string Model = "resnet20-b";

    [Params(64)] public int Batch;

    [GlobalSetup]
    public void Setup()
    {
        Threads.Count = 2;
        var gen = new Generator(1);
        _model = ModelZoo.Get(Model).Create(3, 10, gen);
        _optimizer = new SGD(_model.Parameters(), 0.05f, momentum: 0.9f);
        _x = Tensor.Randn([Batch, 3, 32, 32], gen);
        _y = Tensor.FromArray(Enumerable.Range(0, Batch).Select(i => (float)(i % 10)).ToArray(), [Batch]);
    }

    [Benchmark]
    public float TrainStep()
    {
        using var scope = TensorScope.Begin();
        var loss = F.CrossEntropy(_model.Call(_x), _y);
        _optimizer.ZeroGrad();
        loss.Backward();
        _optimizer.Step();
        return loss.Item();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _optimizer.Dispose();
        _model.Dispose();
        Device.Cpu.Backend.TrimPool(); // in-process runs (CI's dry run) must not carry one model's buffers into the next
    }
}
