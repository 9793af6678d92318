using BenchmarkDotNet.Attributes;
using Tensorlet.Models;
using Tensorlet.NN;
using Tensorlet.Optim;

namespace Tensorlet.Benchmarks.Training;

/// <summary>
/// One SGD-with-momentum step of the models <c>tensorlet train</c> knows (the 784-256-10 MLP and the default
/// SmallCnn) on a Fashion-MNIST-sized batch of 64. MemoryDiagnoser's "Allocated" column is the managed memory a step
/// allocates after warm-up: tensor objects and graph nodes only, since every float buffer comes from the pool.
/// </summary>
[MemoryDiagnoser]
public class TrainingStepBenchmarks
{
    private Module _model = null!;
    private SGD _optimizer = null!;
    private Tensor _x = null!, _y = null!;

    [Params("mlp", "cnn")] public string Model = "mlp";
    [Params(64)] public int Batch;

    [GlobalSetup]
    public void Setup()
    {
        var gen = new Generator(1);
        _model = Model == "mlp" ? new Mlp(784, [256], 10, gen) : new SmallCnn(1, 10, 32, gen);
        _optimizer = new SGD(_model.Parameters(), 0.05f, momentum: 0.9f);
        _x = Tensor.Rand([Batch, 1, 28, 28], gen);
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
        Device.Cpu.Backend.TrimPool();
    }
}
