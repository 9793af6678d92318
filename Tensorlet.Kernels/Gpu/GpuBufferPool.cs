using ILGPU;
using ILGPU.Runtime;

namespace Tensorlet.Kernels.Gpu;

/// <summary>
/// Accelerator memory pooled by exact length, as <see cref="Cpu.BufferPool"/> does for host arrays: after the first
/// training step every allocation finds an idle block of the right size, so a step costs no device allocation (which
/// on CUDA would synchronise the device). Thread-safe.
/// </summary>
public sealed class GpuBufferPool : IDisposable
{
    private readonly Accelerator _accelerator;
    private readonly Dictionary<int, Stack<MemoryBuffer1D<float, Stride1D.Dense>>> _idle = new();
    private readonly object _gate = new();
    private long _pooledBytes;
    private long _liveBytes;

    public GpuBufferPool(Accelerator accelerator) => _accelerator = accelerator;

    /// <summary>Bytes held by the pool, idle or handed out.</summary>
    public long PooledBytes { get { lock (_gate) return _pooledBytes; } }

    /// <summary>Bytes handed out and not yet returned.</summary>
    public long LiveBytes { get { lock (_gate) return _liveBytes; } }

    /// <summary>A block of exactly <paramref name="length"/> floats (one float for length 0, which ILGPU cannot allocate).</summary>
    public MemoryBuffer1D<float, Stride1D.Dense> Rent(int length)
    {
        int physical = Math.Max(length, 1);
        long bytes = (long)physical * sizeof(float);
        lock (_gate)
        {
            _liveBytes += bytes;
            if (_idle.TryGetValue(physical, out var stack) && stack.Count > 0) return stack.Pop();
            _pooledBytes += bytes;
        }
        try
        {
            return _accelerator.Allocate1D<float>(physical);
        }
        catch
        {
            lock (_gate) { _liveBytes -= bytes; _pooledBytes -= bytes; }
            throw;
        }
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
