namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// The N·C planes of an [N, C, ...] operand in a host array, each dense, plane p = (n, c) = (p / C, p mod C) starting at
/// <c>Offset + n·BatchStride + c·ChannelStride</c>. Dense NCHW data has strides C·plane and plane; a channel slice of a
/// wider buffer, or a batch slice, differs only in those two numbers, so pooling and batch norm walk it in place.
/// </summary>
internal readonly record struct Planes(float[] Data, int Offset, int BatchStride, int ChannelStride, int Channels)
{
    /// <summary>The planes of <paramref name="operand"/> (opened with two leading dimensions) with C channels.</summary>
    public static Planes Of(BlockOperand operand, int channels) =>
        new(CpuBackend.Array(operand.Buffer), operand.Offset, operand.Stride0, operand.Stride1, channels);

    /// <summary>Where plane <paramref name="plane"/> starts in <see cref="Data"/>.</summary>
    public int At(int plane) => BatchStride == Channels * ChannelStride
        ? Offset + plane * ChannelStride // back-to-back samples (dense NCHW): no division per plane
        : Offset + plane / Channels * BatchStride + plane % Channels * ChannelStride;

    /// <summary>Where the plane of sample <paramref name="n"/> and channel <paramref name="c"/> starts.</summary>
    public int At(int n, int c) => Offset + n * BatchStride + c * ChannelStride;

    /// <summary>The <paramref name="length"/> floats of plane <paramref name="plane"/>.</summary>
    public Span<float> Plane(int plane, int length) => Data.AsSpan(At(plane), length);
}
