using BenchmarkDotNet.Attributes;
using Tensorlet.NN;
using Tensorlet.Optim;

namespace Tensorlet.Benchmarks.Training;

/// <summary>
/// One training step — forward, cross-entropy, backward, SGD with momentum — inside a <see cref="TensorScope"/>, as
/// <c>tensorlet train</c> runs it. Subclasses choose the model and the input shape.
/// </summary>
[MemoryDiagnoser]
public abstract class TrainingStepBase
{
    private Module _model = null!;
    private SGD _optimizer = null!;
    private Tensor _x = null!, _y = null!;

    [Params(64)] public int Batch;

    protected abstract Module CreateModel(Generator generator);

    /// <summary>[C, H, W] of one input image.</summary>
    protected abstract int[] ImageShape { get; }

    [GlobalSetup]
    public void Setup()
    {
        Threads.Count = 2;
        var gen = new Generator(1);
        _model = CreateModel(gen);
        _optimizer = new SGD(_model.Parameters(), 0.05f, momentum: 0.9f);
        _x = Tensor.Randn([Batch, .. ImageShape], gen);
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
