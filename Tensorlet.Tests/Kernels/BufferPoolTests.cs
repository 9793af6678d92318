using Tensorlet.Kernels;
using Tensorlet.Kernels.Cpu;

namespace Tensorlet.Tests.Kernels;

public class BufferPoolTests
{
    [Test]
    public void SameSizeAllocationAfterDisposeReusesTheArray()
    {
        var pool = new BufferPool();
        var first = pool.Rent(1000);
        Assert.That(pool.LiveBytes, Is.EqualTo(4000));
        Assert.That(pool.PooledBytes, Is.EqualTo(4000));
        pool.Return(first);
        Assert.That(pool.LiveBytes, Is.EqualTo(0));
        Assert.That(pool.PooledBytes, Is.EqualTo(4000), "idle memory stays pooled");
        Assert.That(pool.Rent(1000), Is.SameAs(first));
        var other = pool.Rent(999);
        Assert.That(other, Has.Length.EqualTo(999), "lengths are exact");
        Assert.That(pool.PooledBytes, Is.EqualTo(4000 + 3996));
        pool.Return(other);
        pool.Trim();
        Assert.That(pool.PooledBytes, Is.EqualTo(4000), "trim frees idle arrays only");
        Assert.That(pool.LiveBytes, Is.EqualTo(4000));
    }

    [Test]
    public void BackendBuffersComeBackToThePool()
    {
        var cpu = SettledCpu();
        const int n = 123_457;
        long live0 = cpu.LiveBytes;
        var b = (CpuBuffer)cpu.Allocate(n);
        var array = b.Array;
        Assert.That(b.AsSpan().Length, Is.EqualTo(n));
        Assert.That(cpu.LiveBytes - live0, Is.EqualTo(4L * n));
        long pooled = cpu.PooledBytes;
        b.Dispose();
        b.Dispose();
        Assert.That(cpu.LiveBytes, Is.EqualTo(live0), "dispose is idempotent");
        Assert.That(() => b.Array, Throws.InstanceOf<ObjectDisposedException>());

        // A training loop: after the first step the same sizes allocate nothing new.
        for (int step = 0; step < 5; step++)
        {
            using var x = cpu.Allocate(n);
            using var y = cpu.Allocate(n);
            if (step == 0) Assert.That(((CpuBuffer)x).Array, Is.SameAs(array));
            Assert.That(cpu.PooledBytes, Is.LessThanOrEqualTo(pooled + 4L * n), $"step {step}");
        }
        Assert.That(cpu.LiveBytes, Is.EqualTo(live0));
    }

    [Test]
    public void ConcurrentAllocationKeepsTheBooks()
    {
        var pool = new BufferPool();
        Parallel.For(0, 8, t =>
        {
            var held = new List<float[]>();
            for (int i = 0; i < 2000; i++)
            {
                held.Add(pool.Rent(16 + (i + t) % 7 * 16));
                if (held.Count > 3)
                {
                    pool.Return(held[0]);
                    held.RemoveAt(0);
                }
            }
            foreach (var a in held) pool.Return(a);
        });
        Assert.That(pool.LiveBytes, Is.EqualTo(0));
        Assert.That(pool.PooledBytes, Is.GreaterThan(0));
        pool.Trim();
        Assert.That(pool.PooledBytes, Is.EqualTo(0));
    }

    [Test]
    public void LeakedBuffersLeaveTheBooksWhenCollected()
    {
        var cpu = SettledCpu();
        long live0 = cpu.LiveBytes, pooled0 = cpu.PooledBytes;
        Leak(cpu, 77_777);
        Assert.That(cpu.LiveBytes - live0, Is.EqualTo(4L * 77_777));
        CollectLeaks();
        Assert.That(cpu.LiveBytes, Is.EqualTo(live0));
        Assert.That(cpu.PooledBytes, Is.EqualTo(pooled0));
    }

    /// <summary>The shared CPU backend once buffers that earlier tests leaked are finalised, so its books hold still.</summary>
    private static CpuBackend SettledCpu()
    {
        CollectLeaks();
        return CpuBackend.Instance;
    }

    /// <summary>Finalises unreachable buffers, which hands them back to the books.</summary>
    private static void CollectLeaks()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void Leak(CpuBackend cpu, int n) => cpu.Allocate(n);
}
