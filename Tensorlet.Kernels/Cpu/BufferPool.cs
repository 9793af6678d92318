namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// Float arrays pooled by exact length. A training step allocates the same sizes every time, so after the
/// first step <see cref="Rent"/> finds an idle array of the right length and allocates nothing. Exact lengths
/// keep a buffer's span equal to its array and waste no memory on size classes. Thread-safe: a data-loading
/// thread may allocate while the training thread computes.
/// </summary>
public sealed class BufferPool
{
    private readonly Dictionary<int, Stack<float[]>> _idle = new();
    private readonly object _gate = new();
    private long _pooledBytes;
    private long _liveBytes;

    /// <summary>Bytes held by the pool, idle or handed out.</summary>
    public long PooledBytes { get { lock (_gate) return _pooledBytes; } }

    /// <summary>Bytes handed out and not yet returned.</summary>
    public long LiveBytes { get { lock (_gate) return _liveBytes; } }

    /// <summary>An array of exactly <paramref name="length"/> floats; its contents are whatever the last user left.</summary>
    public float[] Rent(int length)
    {
        long bytes = (long)length * sizeof(float);
        lock (_gate)
        {
            _liveBytes += bytes;
            if (_idle.TryGetValue(length, out var stack) && stack.Count > 0) return stack.Pop();
            _pooledBytes += bytes;
        }
        try
        {
            // Not zeroing saves a pass over fresh memory; the contract says contents are undefined.
            return GC.AllocateUninitializedArray<float>(length);
        }
        catch
        {
            lock (_gate) { _liveBytes -= bytes; _pooledBytes -= bytes; }
            throw;
        }
    }

    /// <summary>Hands an array back for reuse.</summary>
    public void Return(float[] array)
    {
        lock (_gate)
        {
            _liveBytes -= (long)array.Length * sizeof(float);
            if (!_idle.TryGetValue(array.Length, out var stack)) _idle[array.Length] = stack = new Stack<float[]>();
            stack.Push(array);
        }
    }

    /// <summary>Removes a leaked array of <paramref name="length"/> floats from the books; the GC reclaims it.</summary>
    public void Forget(int length)
    {
        long bytes = (long)length * sizeof(float);
        lock (_gate)
        {
            _liveBytes -= bytes;
            _pooledBytes -= bytes;
        }
    }

    /// <summary>Drops every idle array so the GC can free it; arrays in use are untouched.</summary>
    public void Trim()
    {
        lock (_gate)
        {
            foreach (var (length, stack) in _idle) _pooledBytes -= (long)length * sizeof(float) * stack.Count;
            _idle.Clear();
        }
    }
}
