namespace Tensorlet.Kernels;

/// <summary>
/// A block of float32 memory owned by one backend. Buffers come from the backend's pool;
/// <see cref="Dispose"/> hands the memory back to that pool (it does not free it), so a training
/// loop that allocates the same shapes every step reuses the same memory.
/// </summary>
public abstract class DeviceBuffer : IDisposable
{
    protected DeviceBuffer(IBackend backend, int length)
    {
        Backend = backend;
        Length = length;
    }

    /// <summary>The backend that owns this memory; only its kernels may touch it.</summary>
    public IBackend Backend { get; }

    /// <summary>Number of float32 elements.</summary>
    public int Length { get; }

    /// <summary>True once returned to the pool; any further use is a bug.</summary>
    public bool IsDisposed { get; private set; }

    /// <summary>Returns the memory to the owning backend's pool. Idempotent.</summary>
    public void Dispose()
    {
        if (IsDisposed) return;
        IsDisposed = true;
        Release();
        GC.SuppressFinalize(this);
    }

    /// <summary>Hands the memory back to the pool; called once.</summary>
    protected abstract void Release();
}
