using BenchmarkDotNet.Attributes;
using Tensorlet.Benchmarks.Infrastructure;
using Tensorlet.Kernels;

namespace Tensorlet.Benchmarks.Softmax;

/// <summary>
/// Row-wise softmax, log-softmax, the softmax gradient, and cross-entropy (log-softmax, the picked log-probabilities
/// averaged, and the gradient through log-softmax), reference loops (double, one thread) against the CPU backend, on
/// CIFAR logits (batch 64 × 10 classes: all overhead) and ImageNet-sized ones (4096 × 1000). FLOPs count max, exp, sum
/// and scale (4 per element) forward and 4 per element backward; GB/s counts each [rows, cols] operand once.
/// </summary>
[ThroughputColumns]
public class SoftmaxBenchmarks : IWorkload
{
    private int _rows, _cols;
    private float[] _x = [], _g = [], _y = [], _targets = [];
    private IBackend? _backend;
    private DeviceBuffer[] _buffers = [];

    [ParamsSource(typeof(Variants), nameof(Variants.Available))]
    public KernelVariant Variant { get; set; } = KernelVariant.Reference;

    /// <summary>Rows × classes.</summary>
    [Params("64x10", "4096x1000")]
    public string Logits { get; set; } = "64x10";

    private (int Rows, int Cols) Parse()
    {
        var parts = Logits.Split('x');
        return (int.Parse(parts[0]), int.Parse(parts[1]));
    }

    [GlobalSetup]
    public void Setup()
    {
        Variants.UseThreads(Variant);
        (_rows, _cols) = Parse();
        _x = Variants.Random(_rows * _cols, 1);
        _targets = Enumerable.Range(0, _rows).Select(r => (float)(r * 7 % _cols)).ToArray();
        // The upstream gradient of a mean cross-entropy: −1/rows at each row's target class, 0 elsewhere.
        _g = new float[_rows * _cols];
        for (int r = 0; r < _rows; r++) _g[r * _cols + (int)_targets[r]] = -1f / _rows;
        _y = Kernels.Reference.Softmax.Forward(true, _x, _rows, _cols);
        if (Variant == KernelVariant.Reference) return;
        _backend = Variants.Backend(Variant);
        // x, g, y (softmax output), dx, targets, picked log-probabilities, loss.
        _buffers = [Variants.Upload(_backend, _x), Variants.Upload(_backend, _g), Variants.Upload(_backend, _y),
                    _backend.Allocate(_rows * _cols), Variants.Upload(_backend, _targets), _backend.Allocate(_rows), _backend.Allocate(1)];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var b in _buffers) b.Dispose();
        _buffers = [];
    }

    public Work WorkPerOperation(string method)
    {
        var (rows, cols) = Parse();
        double n = (double)rows * cols;
        return method switch
        {
            nameof(SoftmaxBackward) => new(4 * n, 12 * n, Variants.ThreadCount(Variant)),
            nameof(CrossEntropy) => new(8 * n, 20 * n, Variants.ThreadCount(Variant)),
            _ => new(4 * n, 8 * n, Variants.ThreadCount(Variant)),
        };
    }

    [Benchmark]
    public void Softmax() => Forward(false);

    [Benchmark]
    public void LogSoftmax() => Forward(true);

    [Benchmark]
    public void SoftmaxBackward()
    {
        if (Variant == KernelVariant.Reference) Kernels.Reference.Softmax.Backward(false, _y, _g, _rows, _cols);
        else { _backend!.SoftmaxBackward(false, _buffers[2], 0, _buffers[1], 0, _rows, _cols, _buffers[3], 0); Variants.Sync(_backend); }
    }

    /// <summary>Loss and logit gradient of a mean cross-entropy; returns the loss (read back only on the reference path).</summary>
    [Benchmark]
    public float CrossEntropy()
    {
        if (Variant == KernelVariant.Reference)
        {
            var logp = Kernels.Reference.Softmax.Forward(true, _x, _rows, _cols);
            double loss = 0;
            for (int r = 0; r < _rows; r++) loss -= logp[r * _cols + (int)_targets[r]];
            Kernels.Reference.Softmax.Backward(true, logp, _g, _rows, _cols);
            return (float)(loss / _rows);
        }
        var (x, g, y, dx, targets, picked, lossBuffer) = (_buffers[0], _buffers[1], _buffers[2], _buffers[3], _buffers[4], _buffers[5], _buffers[6]);
        _backend!.Softmax(true, x, 0, _rows, _cols, y, 0);
        _backend.Gather(y, 0, _rows, _cols, 1, targets, 0, 1, picked, 0);
        _backend.Reduce(ReduceOp.Sum, picked, 0, 1, _rows, 1, lossBuffer, 0, -1f / _rows);
        _backend.SoftmaxBackward(true, y, 0, g, 0, _rows, _cols, dx, 0); Variants.Sync(_backend);
        return 0;
    }

    private void Forward(bool log)
    {
        if (Variant == KernelVariant.Reference) Kernels.Reference.Softmax.Forward(log, _x, _rows, _cols);
        else { _backend!.Softmax(log, _buffers[0], 0, _rows, _cols, _buffers[3], 0); Variants.Sync(_backend); }
    }
}
