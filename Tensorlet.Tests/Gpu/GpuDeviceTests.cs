using Tensorlet.Kernels;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;
using Tensorlet.Kernels.Gpu;
using static Tensorlet.Tests.Gpu.GpuTestKit;
using static Tensorlet.Tests.Kernels.KernelTestKit;

namespace Tensorlet.Tests.Gpu;

/// <summary>Device selection, buffers and transfers of the GPU backend.</summary>
public class GpuDeviceTests
{
    [Test]
    public void ParseKnowsEveryDeviceName()
    {
        Assert.That(Device.Parse("cpu"), Is.SameAs(Device.Cpu));
        Assert.That(Device.Parse(" ILGPU-CPU "), Is.SameAs(Device.IlgpuCpu));
        Assert.That(Device.IlgpuCpu.IsGpu, Is.True);
        Assert.That(Device.IlgpuCpu.Name, Is.EqualTo("ilgpu-cpu"));
        foreach (var bad in new[] { "gpu", "cuda:x", "cpu:1", "cuda:-1", "" })
            Assert.That(() => Device.Parse(bad), Throws.ArgumentException.With.Message.Contains("expected cpu, cuda[:N]"), bad);
    }

    [Test]
    public void CudaAbsenceIsExplained()
    {
        if (GpuDevices.Context.GetCudaDevices().Count > 0) Assert.Ignore("A CUDA device is present here.");
        var ex = Assert.Throws<InvalidOperationException>(() => Device.Cuda());
        Assert.That(ex!.Message, Does.Contain("no CUDA device found"));
        Assert.That(Device.Best(), Is.Not.Null);
    }

    /// <summary>
    /// CI installs PoCL (pocl-opencl-icd) and ocl-icd-opencl-dev: ILGPU sees the PoCL device but cannot use it, and the
    /// error must say so. Without any OpenCL runtime the message must say how to get one.
    /// </summary>
    [Test]
    public void OpenCLRefusalNamesTheDeviceAndTheReason()
    {
        var devices = GpuDevices.Context.GetCLDevices();
        bool anyCapable = false;
        foreach (var d in devices) anyCapable |= GpuDevices.Qualifies(d);
        if (anyCapable) Assert.Ignore("A usable OpenCL device is present here.");
        var ex = Assert.Throws<InvalidOperationException>(() => Device.OpenCL());
        if (devices.Count == 0)
            Assert.That(ex!.Message, Does.Contain("no OpenCL device found").And.Contain("libOpenCL.so"));
        else
            Assert.That(ex!.Message, Does.Contain("no usable OpenCL device").And.Contain("generic address space").And.Contain(devices[0].Name));
    }

    [Test]
    public void PoclIsVisibleAndRefusedInCi()
    {
        // .ci/run installs PoCL on purpose and sets this when it is there; elsewhere this check has nothing to look at.
        if (Environment.GetEnvironmentVariable("TENSORLET_EXPECT_POCL") != "1") Assert.Ignore("PoCL is not known to be installed.");
        var devices = GpuDevices.Context.GetCLDevices();
        Assert.That(devices.Count, Is.GreaterThan(0), "PoCL should be visible through libOpenCL.so");
        var ex = Assert.Throws<InvalidOperationException>(() => Device.OpenCL());
        Assert.That(ex!.Message, Does.Contain("refused: it lacks the generic address space"));
    }

    [Test]
    public void PoolReusesBuffersAndTransfersAreCounted()
    {
        using var backend = GpuDevices.IlgpuCpu();
        var before = backend.Transfers;
        using (var a = backend.Allocate(1000)) backend.Upload(new float[1000], a, 0);
        long pooled = backend.PooledBytes;
        using (var b = backend.Allocate(1000))
        {
            Assert.That(backend.PooledBytes, Is.EqualTo(pooled), "same size must come from the pool");
            Assert.That(backend.LiveBytes, Is.EqualTo(4000));
            var host = new float[10];
            backend.Download(b, 990, host);
        }
        Assert.That(backend.LiveBytes, Is.Zero);
        var moved = backend.Transfers - before;
        Assert.That(moved, Is.EqualTo(new TransferCounts(1, 1, 4000, 40)));
        backend.TrimPool();
        Assert.That(backend.PooledBytes, Is.Zero);
    }

    [Test]
    public void BuffersOfAnotherBackendAreRejected()
    {
        using var cpu = Cpu.Allocate(4);
        var ex = Assert.Throws<ArgumentException>(() => TestGpu.Upload(new float[4], cpu, 0));
        Assert.That(ex!.Message, Does.Contain("belongs to backend 'cpu', not 'ilgpu-cpu'"));
        using var g = TestGpu.Allocate(4);
        Assert.Throws<ArgumentException>(() => TestGpu.Download(g, 2, new float[3]));
    }

    [Test]
    public void ZeroLengthBuffersWork()
    {
        using var b = TestGpu.Allocate(0);
        TestGpu.Upload(ReadOnlySpan<float>.Empty, b, 0);
        TestGpu.Fill(StridedView.Contiguous(b, 0, [0]), 1f);
        Assert.That(GpuTestKit.Download(TestGpu, b), Is.Empty);
    }
}
