using Tensorlet.Kernels;

namespace Tensorlet;

/// <summary>
/// A reference-counted device buffer shared by a tensor and its views. The buffer goes back to the
/// device's pool when the last tensor using it is disposed — that is what keeps a training loop's
/// memory flat without waiting for the garbage collector.
/// </summary>
internal sealed class Storage
{
    private int _refs = 1;

    public Storage(Device device, DeviceBuffer buffer)
    {
        Device = device;
        Buffer = buffer;
    }

    public Device Device { get; }
    public DeviceBuffer Buffer { get; }
    public bool IsReleased => Volatile.Read(ref _refs) <= 0;

    public static Storage Allocate(Device device, int length) =>
        new(device, device.Backend.Allocate(Math.Max(length, 1)));

    public void Retain()
    {
        if (Interlocked.Increment(ref _refs) <= 1)
            throw new ObjectDisposedException(nameof(Tensor), "The storage of this tensor was already released.");
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _refs) == 0) Buffer.Dispose();
    }
}
