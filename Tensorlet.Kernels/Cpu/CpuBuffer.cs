namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// A <see cref="DeviceBuffer"/> in managed memory: an exact-length <c>float[]</c> borrowed from a
/// <see cref="BufferPool"/>, so <see cref="AsSpan"/> is always the whole array.
/// </summary>
public sealed class CpuBuffer : DeviceBuffer
{
    private readonly BufferPool _pool;
    private float[]? _array;

    internal CpuBuffer(IBackend backend, BufferPool pool, float[] array) : base(backend, array.Length)
    {
        _pool = pool;
        _array = array;
    }

    /// <summary>The memory itself; throws once the buffer is disposed (the array may belong to someone else by then).</summary>
    public float[] Array => _array ?? throw new ObjectDisposedException(nameof(CpuBuffer), "The CPU buffer was disposed; its memory is back in the pool.");

    /// <summary>All <see cref="DeviceBuffer.Length"/> elements.</summary>
    public Span<float> AsSpan() => Array;

    protected override void Release()
    {
        var array = _array;
        _array = null;
        if (array != null) _pool.Return(array);
    }

    // A buffer that is never disposed would otherwise count as live forever, so the finaliser settles the pool's books.
    // It must not hand the array back for reuse: a kernel may still be running on the array after the last reference
    // to this wrapper is gone, and a new owner would race with it. The GC frees the array instead.
    ~CpuBuffer()
    {
        var array = _array;
        _array = null;
        if (array != null) _pool.Forget(array.Length);
    }
}
