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
public class SoftmaxBenchmarks : DeviceBenchmark, IWorkload
{
    private int _rows, _cols;
    private float[] _x = [], _g = [], _y = [], _targets = [];

    [ParamsSource(typeof(Variants), nameof(Variants.Available))]
    public KernelVariant Variant { get; set; } = KernelVariant.Reference;

    /// <summary>Rows × classes.</summary>
    [Params("64x10", "4096x1000")]
    public string Logits { get; set; } = "64x10";

    private (int Rows, int Cols) Parse() => ParsePair(Logits);

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
        Backend = Variants.Backend(Variant);
        // x, g, y (softmax output), dx, targets, picked log-probabilities, loss.
        Buffers = [Variants.Upload(Backend, _x), Variants.Upload(Backend, _g), Variants.Upload(Backend, _y),
                    Backend.Allocate(_rows * _cols), Variants.Upload(Backend, _targets), Backend.Allocate(_rows), Backend.Allocate(1)];
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
        else { Backend!.SoftmaxBackward(false, Rows(Buffers[2]), Rows(Buffers[1]), Rows(Buffers[3])); Variants.Sync(Backend); }
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
        var (x, g, y, dx, targets, picked, lossBuffer) = (Buffers[0], Buffers[1], Buffers[2], Buffers[3], Buffers[4], Buffers[5], Buffers[6]);
        Backend!.Softmax(true, Rows(x), Rows(y));
        Backend.Gather(StridedView.Contiguous(y, 0, [_rows, _cols]), StridedView.Contiguous(targets, 0, [_rows, 1]), 1,
                       StridedView.Contiguous(picked, 0, [_rows, 1]));
        Backend.Reduce(ReduceOp.Sum, StridedView.Contiguous(picked, 0, [_rows]), 0, StridedView.Contiguous(lossBuffer, 0, [1]), -1f / _rows);
        Backend.SoftmaxBackward(true, Rows(y), Rows(g), Rows(dx)); Variants.Sync(Backend);
        return 0;
    }

    private void Forward(bool log)
    {
        if (Variant == KernelVariant.Reference) Kernels.Reference.Softmax.Forward(log, _x, _rows, _cols);
        else { Backend!.Softmax(log, Rows(Buffers[0]), Rows(Buffers[3])); Variants.Sync(Backend); }
    }

    /// <summary>A buffer as the dense [rows, cols] view the kernels take.</summary>
    private StridedView Rows(DeviceBuffer buffer) => StridedView.Contiguous(buffer, 0, [_rows, _cols]);
}
