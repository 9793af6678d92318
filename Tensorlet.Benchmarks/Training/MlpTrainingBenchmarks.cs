using BenchmarkDotNet.Attributes;
using Tensorlet.Models;
using Tensorlet.Optim;

namespace Tensorlet.Benchmarks.Training;

/// <summary>
/// One SGD-with-momentum step of the 784-256-10 MLP on a batch of 64, the loop <c>tensorlet train</c> runs.
/// MemoryDiagnoser's "Allocated" column is the managed memory a step allocates after warm-up (tensor
/// objects and graph nodes only: all float buffers come from the pool).
/// </summary>
[MemoryDiagnoser]
public class MlpTrainingBenchmarks
{
    private Mlp _model = null!;
    private SGD _optimizer = null!;
    private Tensor _x = null!, _y = null!;

    [Params(64)] public int Batch;

    [GlobalSetup]
    public void Setup()
    {
        var gen = new Generator(1);
        _model = new Mlp(784, [256], 10, gen);
        _optimizer = new SGD(_model.Parameters(), 0.05f, momentum: 0.9f);
        _x = Tensor.Rand([Batch, 784], gen);
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
    }
}
