namespace Tensorlet.Kernels.Reference;

/// <summary>
/// A <see cref="DeviceBuffer"/> of the reference backend: a fresh host array, never pooled, so a buffer used after it
/// is disposed cannot read someone else's data, and new memory starts as NaN so that reading it before writing shows.
/// </summary>
public sealed class ReferenceBuffer : DeviceBuffer
{
    private readonly Action<int> _released;
    private float[]? _data;

    internal ReferenceBuffer(IBackend backend, int length, Action<int> released) : base(backend, length)
    {
        _data = new float[length];
        Array.Fill(_data, float.NaN);
        _released = released;
    }

    /// <summary>The memory itself; throws once the buffer is disposed.</summary>
    public float[] Data => _data ?? throw new ObjectDisposedException(nameof(ReferenceBuffer), "The reference buffer was disposed.");

    protected override void Release()
    {
        _data = null;
        _released(Length);
    }
}
