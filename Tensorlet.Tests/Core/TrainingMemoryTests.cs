using Tensorlet.Models;
using Tensorlet.Optim;

namespace Tensorlet.Tests.Core;

/// <summary>A training loop must hold steady: the same pooled bytes and a small, constant managed allocation per step.</summary>
public class TrainingMemoryTests
{
    // Managed bytes per step: tensor objects, graph nodes, closures and kernel plans — a constant, independent of the
    // batch size; every float buffer comes from the pool (checked above it).
    [TestCase("mlp", 64, 200, 64 * 1024)]
    [TestCase("cnn", 16, 40, 160 * 1024)]
    // Its blocks' features live in a ConcatBuffer, whose memory must go back with the step's graph.
    [TestCase("densenet", 4, 40, 400 * 1024)]
    public void TrainingStepHasFlatMemory(string name, int batchSize, int steps, int maxManagedBytesPerStep)
    {
        var gen = new Generator(7);
        using Tensorlet.NN.Module model = name switch
        {
            "mlp" => new Mlp(784, [256], 10, gen),
            "cnn" => new SmallCnn(1, 10, 8, gen),
            _ => new DenseNet([3, 3], growth: 4, initChannels: 8, bottleneck: true, compression: 0.5f, imageNetStem: false,
                              numClasses: 10, inChannels: 1, generator: gen),
        };
        using var opt = new SGD(model.Parameters(), 0.05f, momentum: 0.9f);
        var x = Tensor.Rand([batchSize, 1, 28, 28], gen);
        var y = Tensor.FromArray(Enumerable.Range(0, batchSize).Select(i => (float)(i % 10)).ToArray(), [batchSize]);
        void Step()
        {
            using var scope = TensorScope.Begin();
            var loss = F.CrossEntropy(model.Call(x), y);
            opt.ZeroGrad();
            loss.Backward();
            opt.Step();
            loss.Item();
        }
        var backend = Device.Cpu.Backend;
        for (int i = 0; i < 10; i++) Step();
        Settle();
        long live10 = backend.LiveBytes, pooled10 = backend.PooledBytes;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < steps; i++) Step();
        long perStep = (GC.GetAllocatedBytesForCurrentThread() - before) / steps;
        Settle();
        Assert.That(backend.LiveBytes, Is.EqualTo(live10), $"live device bytes grew between step 10 and step {10 + steps}");
        Assert.That(backend.PooledBytes, Is.EqualTo(pooled10), $"the pool grew between step 10 and step {10 + steps}");
        TestContext.Out.WriteLine($"managed bytes per step: {perStep}");
        Assert.That(perStep, Is.LessThan(maxManagedBytesPerStep));
    }

    /// <summary>
    /// Buffers other tests forgot to dispose are counted back by finalizers; let those run before each snapshot of the
    /// backend's byte counts.
    /// </summary>
    internal static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
