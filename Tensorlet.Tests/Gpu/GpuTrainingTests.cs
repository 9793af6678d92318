using Tensorlet.Kernels.Gpu;
using Tensorlet.Models;
using Tensorlet.NN;
using Tensorlet.Optim;

namespace Tensorlet.Tests.Gpu;

/// <summary>
/// Whole models on the GPU code path (ILGPU's CPU accelerator): a training step keeps its data on the device, memory
/// stays flat, and a ResNet and a DenseNet train step for step like on the CPU backend.
/// </summary>
public class GpuTrainingTests
{
    private static (Tensor Images, Tensor Labels) Batch(int n, int c, int size, Device device)
    {
        var g = new Generator(42);
        var images = Tensor.Randn([n, c, size, size], g).To(device);
        var labels = Tensor.FromArray(Enumerable.Range(0, n).Select(i => (float)(i % 10)).ToArray(), [n], device);
        return (images, labels);
    }

    private static float Step(Module model, Optimizer optimizer, Tensor images, Tensor labels)
    {
        using var scope = TensorScope.Begin();
        var loss = F.CrossEntropy(model.Call(images), labels);
        optimizer.ZeroGrad();
        loss.Backward();
        optimizer.Step();
        return loss.Item();
    }

    [Test]
    public void ResNetStepCopiesNothingButTheLossAndKeepsMemoryFlat()
    {
        var device = Device.IlgpuCpu;
        var gpu = (GpuBackend)device.Backend;
        using var model = ResNet.Cifar(8, numClasses: 10, inChannels: 3, Shortcut.A, new Generator(1)).To(device);
        using var optimizer = new SGD(model.Parameters(), 0.05f, momentum: 0.9f, weightDecay: 1e-4f);
        var (images, labels) = Batch(4, 3, 8, device);
        using (images)
        using (labels)
        {
            Step(model, optimizer, images, labels); // creates the momentum buffers
            Core.TrainingMemoryTests.Settle(); // no finaliser may hand memory back while the pool is counted
            long live = gpu.LiveBytes, pooled = gpu.PooledBytes;
            var before = gpu.Transfers;
            Tensor loss;
            using (var scope = TensorScope.Begin())
            {
                loss = F.CrossEntropy(model.Call(images), labels);
                optimizer.ZeroGrad();
                loss.Backward();
                optimizer.Step();
                var during = gpu.Transfers - before;
                Assert.That(during, Is.EqualTo(new TransferCounts(0, 0, 0, 0)), "a training step must not copy between host and device");
                float value = loss.Item();
                Assert.That(float.IsFinite(value), Is.True);
                Assert.That(gpu.Transfers - before, Is.EqualTo(new TransferCounts(0, 1, 0, sizeof(float))), "reading the loss copies one float");
            }
            for (int i = 0; i < 2; i++) Step(model, optimizer, images, labels);
            Assert.That(gpu.LiveBytes, Is.EqualTo(live), "live device memory after steps 2 and 4");
            Assert.That(gpu.PooledBytes, Is.EqualTo(pooled), "pooled device memory after steps 2 and 4");
        }
    }

    private static void AssertTrainsLikeCpu(Func<Module> create, int channels, int size, int steps, double lossTolerance, double weightTolerance)
    {
        using var cpuModel = create();
        using var gpuModel = create().To(Device.IlgpuCpu);
        using var cpuOpt = new SGD(cpuModel.Parameters(), 0.05f, momentum: 0.9f);
        using var gpuOpt = new SGD(gpuModel.Parameters(), 0.05f, momentum: 0.9f);
        var (cx, cy) = Batch(4, channels, size, Device.Cpu);
        var (gx, gy) = Batch(4, channels, size, Device.IlgpuCpu);
        for (int s = 0; s < steps; s++)
        {
            float cpuLoss = Step(cpuModel, cpuOpt, cx, cy), gpuLoss = Step(gpuModel, gpuOpt, gx, gy);
            Assert.That(gpuLoss, Is.EqualTo(cpuLoss).Within(lossTolerance * Math.Max(1, Math.Abs(cpuLoss))), $"loss at step {s}");
        }
        var cpuState = cpuModel.StateDict();
        foreach (var (name, t) in gpuModel.StateDict())
        {
            var expected = cpuState[name].ToArray();
            var actual = t.ToArray();
            double worst = expected.Zip(actual, (e, a) => Math.Abs(e - a) / Math.Max(1, Math.Abs(e))).DefaultIfEmpty().Max();
            Assert.That(worst, Is.LessThan(weightTolerance), $"{name} after {steps} steps");
        }
        foreach (var t in new[] { cx, cy, gx, gy }) t.Dispose();
    }

    /// <summary>Float sums run in a different order on the two backends, so agreement is to a few ulps per step, compounded.</summary>
    [Test]
    public void ResNetTrainsLikeTheCpu() =>
        AssertTrainsLikeCpu(() => ResNet.Cifar(8, 10, 1, Shortcut.B, new Generator(7)), channels: 1, size: 8, steps: 3,
                            lossTolerance: 1e-4, weightTolerance: 1e-3);

    [Test]
    public void DenseNetTrainsLikeTheCpu() =>
        AssertTrainsLikeCpu(() => DenseNet.BC(10, 6, 10, 1, dropRate: 0.2f, generator: new Generator(9)), channels: 1, size: 8, steps: 3,
                            lossTolerance: 1e-4, weightTolerance: 1e-3);
}
