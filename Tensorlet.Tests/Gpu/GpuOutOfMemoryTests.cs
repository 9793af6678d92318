using ILGPU;
using ILGPU.Runtime;
using Tensorlet.Kernels.Gpu;
using static Tensorlet.Tests.Gpu.GpuTestKit;

namespace Tensorlet.Tests.Gpu;

/// <summary>
/// Device memory running out gives a <see cref="GpuOutOfMemoryException"/> that names the request in bytes, the device
/// and the pool's live and pooled bytes — never ILGPU's raw exception. Runs on ILGPU's CPU accelerator: the capacity
/// check is exercised with a backend capped far below the request (so nothing near the request is ever allocated), and
/// the driver's refusal with a stand-in allocator that throws what the CPU accelerator's allocator throws.
/// </summary>
public class GpuOutOfMemoryTests
{
    private const long Capacity = 64L << 20;

    private static GpuBackend Capped(string name) => new(TestGpu.Accelerator, name, ownsAccelerator: false, memoryCapacityBytes: Capacity);

    [Test]
    public void RequestPastTheCapacityNamesTheSizeAndTheDeviceWithoutAllocating()
    {
        using var backend = Capped("ilgpu-cpu (64 MiB)");
        using var live = backend.Allocate(1 << 20);
        var ex = Assert.Throws<GpuOutOfMemoryException>(() => backend.Allocate(int.MaxValue))!;
        long requested = (long)int.MaxValue * sizeof(float);
        Assert.Multiple(() =>
        {
            Assert.That(ex.RequestedBytes, Is.EqualTo(requested));
            Assert.That(ex.Device, Is.EqualTo("ilgpu-cpu (64 MiB)"));
            Assert.That(ex.LiveBytes, Is.EqualTo(4L << 20));
            Assert.That(ex.Message, Does.Contain($"could not allocate {requested:N0} bytes").And.Contain("ilgpu-cpu (64 MiB)")
                                        .And.Contain("4,194,304 bytes (4.0 MiB) are in use").And.Contain("of the device's 64.0 MiB")
                                        .And.Contain("nothing was asked of the driver"));
            Assert.That(ex.InnerException, Is.Null);
        });
        // Nothing of the failed request stays on the books, and smaller requests still succeed.
        Assert.That(backend.LiveBytes, Is.EqualTo(4L << 20));
        Assert.That(backend.PooledBytes, Is.EqualTo(4L << 20));
        using var more = backend.Allocate(1 << 20);
        Assert.That(backend.LiveBytes, Is.EqualTo(8L << 20));
    }

    [Test]
    public void IdleBlocksAreFreedToMakeRoomBeforeGivingUp()
    {
        using var backend = Capped("ilgpu-cpu (64 MiB)");
        backend.Allocate(10 << 20).Dispose(); // 40 MiB idle in the pool
        using var big = backend.Allocate(8 << 20); // 32 MiB: fits only once the idle block is freed
        Assert.That(backend.PooledBytes, Is.EqualTo(32L << 20));
        Assert.That(backend.LiveBytes, Is.EqualTo(32L << 20));
    }

    [Test]
    public void CapacityMustBePositive()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new GpuBufferPool(TestGpu.Accelerator, "ilgpu-cpu", 0))!;
        Assert.That(ex.Message, Does.Contain("ilgpu-cpu").And.Contain("capacity"));
    }

    [Test]
    public void CpuAcceleratorCapacityIsTheProcessMemoryNotLongMaxValue()
    {
        Assert.That(TestGpu.Accelerator.MemorySize, Is.EqualTo(long.MaxValue), "ILGPU's CPU accelerator reports no limit");
        Assert.That(TestGpu.Pool.CapacityBytes, Is.EqualTo(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes));
    }

    /// <summary>A pool whose "driver" refuses the next <c>failures</c> allocations as the CPU accelerator's allocator does.</summary>
    private sealed class RefusingDriver
    {
        public int Failures;
        public int Calls;

        public MemoryBuffer1D<float, Stride1D.Dense> Allocate(long length)
        {
            Calls++;
            if (Failures > 0)
            {
                Failures--;
                throw new OutOfMemoryException("Insufficient memory to continue the execution of the program.");
            }
            return TestGpu.Accelerator.Allocate1D<float>(length);
        }
    }

    [Test]
    public void DriverRefusalFreesIdleBlocksAndRetriesOnce()
    {
        var driver = new RefusingDriver();
        using var pool = new GpuBufferPool(TestGpu.Accelerator, "ilgpu-cpu", null, driver.Allocate);
        pool.Return(pool.Rent(1000)); // 4,000 idle bytes
        driver.Failures = 1;
        var block = pool.Rent(2000);
        Assert.That(driver.Calls, Is.EqualTo(3), "one allocation, one refusal, one retry");
        Assert.That(pool.PooledBytes, Is.EqualTo(8000), "the idle block was freed before the retry");
        pool.Return(block);
    }

    [Test]
    public void DriverRefusalTwiceIsAClearErrorWithTheDriversExceptionInside()
    {
        var driver = new RefusingDriver();
        using var pool = new GpuBufferPool(TestGpu.Accelerator, "cuda:7", null, driver.Allocate);
        var held = pool.Rent(500);
        driver.Failures = 2;
        var ex = Assert.Throws<GpuOutOfMemoryException>(() => pool.Rent(3000))!;
        Assert.Multiple(() =>
        {
            Assert.That(ex.RequestedBytes, Is.EqualTo(12000));
            Assert.That(ex.LiveBytes, Is.EqualTo(2000));
            Assert.That(ex.PooledBytes, Is.EqualTo(2000));
            Assert.That(ex.InnerException, Is.TypeOf<OutOfMemoryException>());
            Assert.That(ex.Message, Does.Contain("GPU out of memory on cuda:7: could not allocate 12,000 bytes")
                                        .And.Contain("2,000 bytes").And.Contain("driver refused it").And.Contain("OutOfMemoryException"));
        });
        Assert.That(pool.LiveBytes, Is.EqualTo(2000), "the failed request is not left on the books");
        Assert.That(pool.PooledBytes, Is.EqualTo(2000));
        pool.Return(held);
    }

    [Test]
    public void OtherDriverErrorsAreNotDisguisedAsOutOfMemory()
    {
        using var pool = new GpuBufferPool(TestGpu.Accelerator, "ilgpu-cpu", null, _ => throw new ObjectDisposedException("accelerator"));
        Assert.Throws<ObjectDisposedException>(() => pool.Rent(10));
        Assert.That(pool.PooledBytes, Is.Zero);
    }
}
