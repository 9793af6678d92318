using Tensorlet.Models;
using Tensorlet.Optim;

namespace Tensorlet.Tests.Core;

/// <summary>A training loop must hold steady: the same pooled bytes and a small, constant managed allocation per step.</summary>
public class TrainingMemoryTests
{
    [Test]
    public void MlpTrainingStepHasFlatMemory()
    {
        var gen = new Generator(7);
        using var model = new Mlp(784, [256], 10, gen);
        using var opt = new SGD(model.Parameters(), 0.05f, momentum: 0.9f);
        var x = Tensor.Rand([64, 784], gen);
        var y = Tensor.FromArray(Enumerable.Range(0, 64).Select(i => (float)(i % 10)).ToArray(), [64]);
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
        long live10 = backend.LiveBytes, pooled10 = backend.PooledBytes;
        long before = GC.GetAllocatedBytesForCurrentThread();
        const int steps = 200;
        for (int i = 0; i < steps; i++) Step();
        long perStep = (GC.GetAllocatedBytesForCurrentThread() - before) / steps;
        Assert.That(backend.LiveBytes, Is.EqualTo(live10), "live device bytes grew between step 10 and step 210");
        Assert.That(backend.PooledBytes, Is.EqualTo(pooled10), "the pool grew between step 10 and step 210");
        // Tensor objects, graph nodes and closures only: a few tens of KB, against 64×784 floats (200 KB) per batch.
        TestContext.Out.WriteLine($"managed bytes per step: {perStep}");
        Assert.That(perStep, Is.LessThan(64 * 1024));
    }
}
