using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;

namespace Tensorlet.Kernels.Gpu;

/// <summary>
/// Accelerator memory pooled by exact length, as <see cref="Cpu.BufferPool"/> does for host arrays: after the first
/// training step every allocation finds an idle block of the right size, so a step costs no device allocation (which
/// on CUDA would synchronise the device). Thread-safe.
/// </summary>
public sealed class GpuBufferPool : IDisposable
{
    private readonly Accelerator _accelerator;
    private readonly string _device;
    private readonly Func<long, MemoryBuffer1D<float, Stride1D.Dense>> _allocate;
    private readonly Dictionary<int, Stack<MemoryBuffer1D<float, Stride1D.Dense>>> _idle = new();
    private readonly object _gate = new();
    private long _pooledBytes;
    private long _liveBytes;

    /// <param name="accelerator">Where the memory lives.</param>
    /// <param name="device">The backend's name, for error messages.</param>
    /// <param name="capacityBytes">The most the pool may hold; by default <see cref="DefaultCapacity"/>.</param>
    public GpuBufferPool(Accelerator accelerator, string device = "gpu", long? capacityBytes = null)
        : this(accelerator, device, capacityBytes, length => accelerator.Allocate1D<float>(length)) { }

    /// <summary>For tests: <paramref name="allocate"/> stands in for the driver.</summary>
    internal GpuBufferPool(Accelerator accelerator, string device, long? capacityBytes, Func<long, MemoryBuffer1D<float, Stride1D.Dense>> allocate)
    {
        if (capacityBytes is <= 0)
            throw new ArgumentOutOfRangeException(nameof(capacityBytes), capacityBytes, $"Device {device}: a memory capacity must be positive.");
        _accelerator = accelerator;
        _device = device;
        _allocate = allocate;
        CapacityBytes = capacityBytes ?? DefaultCapacity(accelerator);
    }

    /// <summary>
    /// The device's memory (<see cref="Accelerator.MemorySize"/>); for ILGPU's CPU accelerator, which reports
    /// <see cref="long.MaxValue"/>, the memory available to this process instead.
    /// </summary>
    public static long DefaultCapacity(Accelerator accelerator) =>
        accelerator.AcceleratorType == AcceleratorType.CPU ? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes : accelerator.MemorySize;

    /// <summary>The most the pool may hold, in use or idle; a request past it fails before the driver is asked.</summary>
    public long CapacityBytes { get; }

    /// <summary>Bytes held by the pool, idle or handed out.</summary>
    public long PooledBytes { get { lock (_gate) return _pooledBytes; } }

    /// <summary>Bytes handed out and not yet returned.</summary>
    public long LiveBytes { get { lock (_gate) return _liveBytes; } }

    /// <summary>
    /// A block of exactly <paramref name="length"/> floats (one float for length 0, which ILGPU cannot allocate). When the
    /// device is full, idle blocks of other sizes are freed and the allocation tried again; if it still fails, a
    /// <see cref="GpuOutOfMemoryException"/> names the request.
    /// </summary>
    public MemoryBuffer1D<float, Stride1D.Dense> Rent(int length)
    {
        int physical = Math.Max(length, 1);
        long bytes = (long)physical * sizeof(float);
        lock (_gate)
        {
            if (_idle.TryGetValue(physical, out var stack) && stack.Count > 0)
            {
                _liveBytes += bytes;
                return stack.Pop();
            }
            if (_pooledBytes + bytes > CapacityBytes) Trim();
            if (_pooledBytes + bytes > CapacityBytes) throw OutOfMemory(bytes, null);
            _liveBytes += bytes;
            _pooledBytes += bytes;
        }
        try
        {
            return AllocateOrTrimAndRetry(physical);
        }
        catch
        {
            lock (_gate) { _liveBytes -= bytes; _pooledBytes -= bytes; }
            throw;
        }
    }

    private MemoryBuffer1D<float, Stride1D.Dense> AllocateOrTrimAndRetry(int physical)
    {
        try
        {
            return _allocate(physical);
        }
        catch (Exception e) when (IsOutOfMemory(e))
        {
            // Idle blocks of other sizes may be what fills the device: free them and try once more.
            Trim();
            try
            {
                return _allocate(physical);
            }
            catch (Exception again) when (IsOutOfMemory(again))
            {
                lock (_gate) throw OutOfMemory((long)physical * sizeof(float), again, alreadyCounted: true);
            }
        }
    }

    // What each accelerator throws when memory runs out: the CPU accelerator's AllocHGlobal, CUDA's and OpenCL's errors.
    private static bool IsOutOfMemory(Exception e) => e is OutOfMemoryException
        || e is CudaException { Error: nameof(CudaError.CUDA_ERROR_OUT_OF_MEMORY) }
        || e is CLException { Error: CLError.CL_MEM_OBJECT_ALLOCATION_FAILURE or CLError.CL_OUT_OF_RESOURCES or CLError.CL_OUT_OF_HOST_MEMORY };

    // Called under the lock. The failed request is already on the books when the driver refused it: report the pool without it.
    private GpuOutOfMemoryException OutOfMemory(long bytes, Exception? driverError, bool alreadyCounted = false)
    {
        long owed = alreadyCounted ? bytes : 0;
        return new GpuOutOfMemoryException(_device, bytes, CapacityBytes, _liveBytes - owed, _pooledBytes - owed, driverError);
    }

    /// <summary>Hands a block back for reuse. Kernels already queued on it finish first: there is one stream, in order.</summary>
    public void Return(MemoryBuffer1D<float, Stride1D.Dense> memory)
    {
        lock (_gate)
        {
            int length = (int)memory.Length;
            _liveBytes -= (long)length * sizeof(float);
            if (!_idle.TryGetValue(length, out var stack)) _idle[length] = stack = new();
            stack.Push(memory);
        }
    }

    /// <summary>Removes a leaked block from the books (its wrapper was finalised without Dispose).</summary>
    public void Forget(int physicalLength)
    {
        long bytes = (long)physicalLength * sizeof(float);
        lock (_gate) { _liveBytes -= bytes; _pooledBytes -= bytes; }
    }

    /// <summary>Frees every idle block now; blocks in use are untouched.</summary>
    public void Trim()
    {
        // Queued kernels may still read an idle block (their buffers were returned while they ran): wait for them.
        _accelerator.DefaultStream.Synchronize();
        lock (_gate)
        {
            foreach (var (length, stack) in _idle)
            {
                _pooledBytes -= (long)length * sizeof(float) * stack.Count;
                foreach (var memory in stack) memory.Dispose();
            }
            _idle.Clear();
        }
    }

    public void Dispose() => Trim();
}
