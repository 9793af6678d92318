using Tensorlet.Models;
using Tensorlet.NN;
using Tensorlet.Tests.Core;

namespace Tensorlet.Tests.Models;

/// <summary>
/// A dense block that writes each feature map once into a <see cref="ConcatBuffer"/> takes fewer bytes from the pool
/// for a forward and backward pass than the same block rebuilding <c>Tensor.Cat</c> of all earlier features at every
/// layer (the block's O(L²) copies).
/// </summary>
public class DenseBlockAllocationTests
{
    [Test]
    public void BufferedBlockAllocatesLessThanTheCatLoop()
    {
        const int c0 = 8, layers = 6, growth = 4;
        using var model = new DenseNet([layers], growth, c0, bottleneck: false, compression: 1f, imageNetStem: false,
                                       numClasses: 2, inChannels: c0, generator: new Generator(0));
        var block = model.NamedModules().Single(m => m.Name == "features.denseblock1").Module;
        // One image: every channel window is then dense, so batch norm reads it in place. With several images the
        // windows are strided, and batch norm reads them without a copy only once the backend takes strided inputs.
        using var x = Tensor.Randn([1, c0, 16, 16], new Generator(1), requiresGrad: true);

        long buffered = PoolGrowth(model, x, () => block.Call(x));
        long cat = PoolGrowth(model, x, () =>
        {
            var features = new List<Tensor> { x };
            foreach (var (_, layer) in block.NamedChildren()) features.Add(layer.Call(Tensor.Cat(features, 1)));
            return Tensor.Cat(features, 1);
        });
        TestContext.Out.WriteLine($"pool growth of one forward + backward: ConcatBuffer {buffered} bytes, Cat loop {cat} bytes");

        // The Cat loop's extra: the inputs of layers 2..L, c0 + i·k channels each, which the buffer never copies.
        long plane = 16 * 16 * sizeof(float);
        long copies = Enumerable.Range(1, layers - 1).Sum(i => (c0 + i * growth) * plane);
        Assert.That(buffered, Is.LessThan(cat));
        Assert.That(cat - buffered, Is.GreaterThanOrEqualTo(copies / 2), "the saving is of the order of the concatenations");
    }

    // Bytes the pool had to add for one forward and backward pass, starting from a pool with nothing idle.
    private static long PoolGrowth(Module model, Tensor x, Func<Tensor> forward)
    {
        var backend = Device.Cpu.Backend;
        TrainingMemoryTests.Settle();
        backend.TrimPool();
        long before = backend.PooledBytes;
        using (TensorScope.Begin())
        {
            var y = forward();
            y.Mul(y).Sum().Backward();
        }
        long growth = backend.PooledBytes - before;
        model.ZeroGrad();
        x.Grad!.Dispose();
        x.Grad = null;
        return growth;
    }
}
