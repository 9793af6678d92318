using ILGPU;
using ILGPU.Runtime;

namespace Tensorlet.Kernels.Gpu;

/// <summary>
/// A <see cref="DeviceBuffer"/> in accelerator memory: an exact-length block borrowed from a <see cref="GpuBufferPool"/>.
/// <see cref="DeviceBuffer.Dispose"/> returns it to the pool at once, so device memory is reclaimed deterministically
/// rather than whenever the garbage collector runs.
/// </summary>
public sealed class GpuBuffer : DeviceBuffer
{
    private readonly GpuBufferPool _pool;
    private MemoryBuffer1D<float, Stride1D.Dense>? _memory;

    internal GpuBuffer(IBackend backend, GpuBufferPool pool, MemoryBuffer1D<float, Stride1D.Dense> memory, int length)
        : base(backend, length)
    {
        _pool = pool;
        _memory = memory;
    }

    /// <summary>The elements [0, Length) as an ILGPU view, to pass to a kernel.</summary>
    public ArrayView<float> View =>
        (_memory ?? throw new ObjectDisposedException(nameof(GpuBuffer), "The GPU buffer was disposed; its memory is back in the pool."))
        .View.SubView(0, Math.Max(Length, 1));

    protected override void Release()
    {
        var memory = _memory;
        _memory = null;
        if (memory != null) _pool.Return(memory);
    }

    // Never reuse a block from the finaliser: queued kernels may still use it. ILGPU frees it when its own wrapper is collected.
    ~GpuBuffer()
    {
        var memory = _memory;
        _memory = null;
        if (memory != null) _pool.Forget((int)memory.Length);
    }
}
