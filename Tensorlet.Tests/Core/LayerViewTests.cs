using Tensorlet.Kernels;

namespace Tensorlet.Tests.Core;

/// <summary>
/// Convolution, batch norm and pooling hand the backend the input's own view: on the CPU a channel slice of a wider NCHW
/// tensor (what a DenseNet layer reads from its block's shared buffer) is convolved, normalised and pooled in place,
/// with no dense copy anywhere — neither in Core nor in the backend — and the same bits as its dense copy gives.
/// </summary>
/// <remarks>
/// A copy made for a kernel is rented from the CPU buffer pool and handed back when the call ends, so after
/// <see cref="IBackend.TrimPool"/> it shows as idle pooled memory; outputs stay live. The channels-last controls show that
/// the measure does see a copy when one is needed.
/// </remarks>
public class LayerViewTests
{
    private static IBackend Cpu => Device.Cpu.Backend;

    /// <summary>Bytes the CPU pool holds but nobody uses: whatever was rented and given back since the last trim.</summary>
    private static long Idle => Cpu.PooledBytes - Cpu.LiveBytes;

    /// <summary>Runs <paramref name="op"/> from a trimmed pool; returns its result and the bytes rented and returned meanwhile.</summary>
    private static (float[] Values, long Copied) Measure(Func<Tensor> op)
    {
        TrainingMemoryTests.Settle(); // no finaliser may hand memory back while the pool is counted
        Cpu.TrimPool();
        Assert.That(Idle, Is.Zero, "a trimmed pool holds nothing idle");
        using var y = op();
        return (y.ToArray(), Idle);
    }

    private static Tensor Input(int[] shape, ulong seed) => Tensor.Randn(shape, new Generator(seed));

    [Test]
    public void Conv2dOfAChannelSliceMakesNoCopy()
    {
        using var block = Input([4, 7, 6, 6], 1);
        using var weight = Input([5, 4, 3, 3], 2);
        using var bias = Input([5], 3);
        using var slice = block.Narrow(1, 2, 4);
        using var dense = slice.Contiguous();
        Assert.That(slice.IsContiguous, Is.False);
        var (expected, denseCopied) = Measure(() => F.Conv2d(dense, weight, bias, padding: 1));
        var (actual, copied) = Measure(() => F.Conv2d(slice, weight, bias, padding: 1));
        Assert.That(denseCopied, Is.Zero, "bytes copied for a dense input");
        Assert.That(copied, Is.Zero, "bytes copied for the channel slice");
        Assert.That(actual, Is.EqualTo(expected));

        using var channelsLast = Input([4, 6, 6, 4], 4);
        var (_, control) = Measure(() => F.Conv2d(channelsLast.Permute(0, 3, 1, 2), weight, bias, padding: 1));
        Assert.That(control, Is.GreaterThanOrEqualTo(4L * channelsLast.Count), "a channels-last input is copied (and the measure sees it)");
    }

    [Test]
    public void BatchNormOfAChannelSliceMakesNoCopy([Values] bool training)
    {
        using var block = Input([3, 9, 5, 4], 5);
        using var slice = block.Narrow(1, 3, 4);
        using var dense = slice.Contiguous();
        using var weight = Input([4], 6);
        using var bias = Input([4], 7);
        using Tensor meanA = Tensor.Zeros(4), varA = Tensor.Ones(4), meanB = Tensor.Zeros(4), varB = Tensor.Ones(4);
        var (expected, denseCopied) = Measure(() => F.BatchNorm(dense, meanA, varA, weight, bias, training));
        var (actual, copied) = Measure(() => F.BatchNorm(slice, meanB, varB, weight, bias, training));
        Assert.That(copied, Is.EqualTo(denseCopied), "bytes copied for the channel slice beyond what a dense input costs");
        Assert.That(actual, Is.EqualTo(expected));
        Assert.That(meanB.ToArray(), Is.EqualTo(meanA.ToArray()), "running mean");
        Assert.That(varB.ToArray(), Is.EqualTo(varA.ToArray()), "running variance");

        using var channelsLast = Input([3, 5, 4, 4], 8);
        var (_, control) = Measure(() => F.BatchNorm(channelsLast.Permute(0, 3, 1, 2), meanB, varB, weight, bias, training));
        Assert.That(control, Is.GreaterThanOrEqualTo(denseCopied + 4L * channelsLast.Count), "a channels-last input is copied (and the measure sees it)");
    }

    [Test]
    public void PoolingOfAChannelSliceMakesNoCopy()
    {
        using var block = Input([2, 6, 8, 7], 9);
        using var slice = block.Narrow(1, 1, 3);
        using var dense = slice.Contiguous();
        foreach (var (name, pool) in new (string, Func<Tensor, Tensor>)[]
                 {
                     ("max", t => F.MaxPool2d(t, 3, 2, 1)),
                     ("average", t => F.AvgPool2d(t, 2)),
                     ("adaptive", t => F.AdaptiveAvgPool2d(t, (3, 2))),
                 })
        {
            // Max pooling hands its unused indices back to the pool: the slice must cost exactly what the dense input does.
            var (expected, denseCopied) = Measure(() => pool(dense));
            var (actual, copied) = Measure(() => pool(slice));
            Assert.That(copied, Is.EqualTo(denseCopied), $"{name}: bytes copied for the channel slice beyond what a dense input costs");
            Assert.That(actual, Is.EqualTo(expected), name);
        }
    }

    /// <summary>
    /// Gradients of ops read through a channel slice reach the wider tensor in the slice's channels, the same as through
    /// a dense copy, and leave the other channels at zero.
    /// </summary>
    [TestCase("conv2d")]
    [TestCase("batch norm")]
    [TestCase("max pool")]
    public void GradientsFlowBackThroughAChannelSlice(string op)
    {
        Func<Tensor, Tensor> layer = op switch
        {
            "conv2d" => t => F.Conv2d(t, Input([3, 4, 3, 3], 11), Input([3], 12), padding: 1),
            "batch norm" => t => F.BatchNorm(t, null, null, Input([4], 13), Input([4], 14), training: true),
            _ => t => F.MaxPool2d(t, 2),
        };
        float[] GradientOf(Func<Tensor, Tensor> input, Tensor leaf)
        {
            using var y = layer(input(leaf));
            using var weights = Tensor.Randn(y.Shape, new Generator(15));
            using var loss = (y * weights).Sum();
            loss.Backward();
            return leaf.Grad!.ToArray();
        }
        using var block = Tensor.Randn([2, 7, 6, 6], new Generator(16), requiresGrad: true);
        using var alone = Tensor.FromArray(block.Narrow(1, 2, 4).ToArray(), [2, 4, 6, 6], requiresGrad: true);
        var throughSlice = GradientOf(t => t.Narrow(1, 2, 4), block);
        var dense = GradientOf(t => t, alone);
        var blockGrad = Tensor.FromArray(throughSlice, [2, 7, 6, 6]);
        Assert.That(blockGrad.Narrow(1, 2, 4).ToArray(), Is.EqualTo(dense).Within(1e-6f), "the slice's channels");
        Assert.That(blockGrad.Narrow(1, 0, 2).ToArray().Concat(blockGrad.Narrow(1, 6, 1).ToArray()), Is.All.Zero, "the other channels");
    }
}
