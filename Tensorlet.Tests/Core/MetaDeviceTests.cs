using Tensorlet.NN;

namespace Tensorlet.Tests.Core;

/// <summary>
/// The meta device: tensors with shapes and no storage. Ops check shapes exactly as on the CPU and compute nothing, so a
/// full-size model's forward pass on it costs no memory; reading its data is an error.
/// </summary>
public class MetaDeviceTests
{
    [Test]
    public void OpsGiveShapesWithoutStorage()
    {
        var x = Tensor.Randn([64, 3, 224, 224], device: Device.Meta);
        var w = Tensor.Randn([64, 3, 7, 7], device: Device.Meta);
        var y = F.Conv2d(x, w, null, 2, 3).Relu().Sum(1);
        Assert.That(y.Shape, Is.EqualTo(new[] { 64, 112, 112 }));
        Assert.That(y.Device, Is.SameAs(Device.Meta));
        Assert.That(y.Buffer.Length, Is.Zero, "a meta tensor owns no floats");
        Assert.That(Device.Meta.Backend.LiveBytes, Is.Zero);
    }

    [Test]
    public void ShapeErrorsAreThrownAsOnTheCpu()
    {
        var a = Tensor.Zeros([3, 4], Device.Meta);
        var b = Tensor.Zeros([5, 6], Device.Meta);
        var cpuError = Assert.Throws<ArgumentException>(() => Tensor.Zeros([3, 4]).MatMul(Tensor.Zeros([5, 6])))!.Message;
        var metaError = Assert.Throws<ArgumentException>(() => a.MatMul(b))!.Message;
        Assert.That(metaError, Is.EqualTo(cpuError));
        Assert.Throws<ArgumentException>(() => _ = a + b);

        using var conv = new Conv2d(8, 16, 3);
        using (Device.Meta.AsDefault())
        {
            var ex = Assert.Throws<ArgumentException>(() => conv.To(Device.Meta).Call(Tensor.Zeros([1, 3, 32, 32])));
            Assert.That(ex!.Message, Does.Contain("8").And.Contain("3"), "the error names the channel counts at fault");
        }
    }

    [Test]
    public void ReadingDataFailsWithAClearError()
    {
        var t = Tensor.Ones([2, 2], Device.Meta);
        var ex = Assert.Throws<InvalidOperationException>(() => t.ToArray());
        Assert.That(ex!.Message, Does.Contain("meta"));
    }

    [Test]
    public void AFullSizeModelBuiltOnMetaAllocatesNothingOnTheCpu()
    {
        // Earlier tests' unreachable tensors may still be finalised (and give their bytes back) while this one runs.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long before = Device.Cpu.Backend.LiveBytes;
        ModelSummary summary;
        using (Device.Meta.AsDefault())
        using (var model = Tensorlet.Models.ModelZoo.Get("vgg16").Create(3, 1000, new Generator(0)))
        {
            Assert.That(model.Parameters().All(p => p.Device.IsMeta), Is.True);
            summary = model.Summary(1, 3, 224, 224);
        }
        Assert.That(Device.Cpu.Backend.LiveBytes, Is.LessThanOrEqualTo(before), "no CPU buffer was taken");
        Assert.That(summary.TotalParameters, Is.EqualTo(138_357_544), "VGG-16's parameter count (torchvision's)");
        Assert.That(summary.Layers[^1].OutputShape, Is.EqualTo(new[] { 1, 1000 }));
    }

    [Test]
    public void DefaultDeviceScopesNestAndStayOnTheirThread()
    {
        Assert.That(Device.Default, Is.SameAs(Device.Cpu));
        using (Device.Meta.AsDefault())
        {
            Assert.That(Tensor.Zeros(2, 2).Device, Is.SameAs(Device.Meta));
            Device? onOtherThread = null;
            var thread = new Thread(() => onOtherThread = Tensor.Zeros(1).Device);
            thread.Start();
            thread.Join();
            Assert.That(onOtherThread, Is.SameAs(Device.Cpu), "another thread keeps its own default");
            using (Device.Cpu.AsDefault()) Assert.That(Device.Default, Is.SameAs(Device.Cpu));
            Assert.That(Device.Default, Is.SameAs(Device.Meta));
        }
        Assert.That(Device.Default, Is.SameAs(Device.Cpu));
    }
}
