namespace Tensorlet.Kernels.Gpu;

/// <summary>
/// A GPU backend could not allocate device memory: the request would pass the device's capacity, or the driver
/// refused it even after the pool freed its idle blocks. The message names the request in bytes, the device, its
/// capacity and the pool's live and pooled bytes; the driver's own error, if any, is the inner exception. Derives from
/// <see cref="InvalidOperationException"/> (as a driver's refusal is an operation failing, not the process running out
/// of managed memory), so the CLI reports it as one line.
/// </summary>
public sealed class GpuOutOfMemoryException : InvalidOperationException
{
    public GpuOutOfMemoryException(string device, long requestedBytes, long capacityBytes, long liveBytes, long pooledBytes,
                                   Exception? driverError = null)
        : base(Describe(device, requestedBytes, capacityBytes, liveBytes, pooledBytes, driverError), driverError)
    {
        Device = device;
        RequestedBytes = requestedBytes;
        CapacityBytes = capacityBytes;
        LiveBytes = liveBytes;
        PooledBytes = pooledBytes;
    }

    /// <summary>The backend's name ("cuda:0", "ilgpu-cpu").</summary>
    public string Device { get; }

    /// <summary>The size of the allocation that failed.</summary>
    public long RequestedBytes { get; }

    /// <summary>The most the pool may hold on this device (<see cref="GpuBufferPool.CapacityBytes"/>).</summary>
    public long CapacityBytes { get; }

    /// <summary>Bytes in use by tensors and scratch when the allocation failed.</summary>
    public long LiveBytes { get; }

    /// <summary>Bytes the pool held (in use or idle) when the allocation failed, after freeing its idle blocks.</summary>
    public long PooledBytes { get; }

    private static string Describe(string device, long requested, long capacity, long live, long pooled, Exception? driverError) =>
        $"GPU out of memory on {device}: could not allocate {requested:N0} bytes ({Mib(requested)}); " +
        $"{live:N0} bytes ({Mib(live)}) are in use and the pool holds {pooled:N0} bytes ({Mib(pooled)}) of the device's {Mib(capacity)}. " +
        (driverError == null
            ? "The request would pass the device's capacity, so nothing was asked of the driver."
            : $"The driver refused it after the pool freed its idle blocks ({driverError.GetType().Name}: {driverError.Message}).") +
        " Use a smaller batch or model, or free tensors that are no longer needed.";

    private static string Mib(long bytes) => $"{bytes / (1024.0 * 1024.0):F1} MiB";
}
