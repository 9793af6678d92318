namespace Tensorlet.Kernels;

/// <summary>
/// Upload and Download for the backends whose buffers are host arrays (<see cref="IBackend.HostArray"/> gives the
/// array): the operand check, then one span copy.
/// </summary>
internal static class HostTransfer
{
    public static void Upload(IBackend backend, ReadOnlySpan<float> src, DeviceBuffer dst, int dstOffset)
    {
        ArgumentChecks.Operand(backend, "Upload", nameof(dst), dst, dstOffset, src.Length);
        src.CopyTo(backend.HostArray(dst)!.AsSpan(dstOffset));
    }

    public static void Download(IBackend backend, DeviceBuffer src, int srcOffset, Span<float> dst)
    {
        ArgumentChecks.Operand(backend, "Download", nameof(src), src, srcOffset, dst.Length);
        backend.HostArray(src)!.AsSpan(srcOffset, dst.Length).CopyTo(dst);
    }
}
