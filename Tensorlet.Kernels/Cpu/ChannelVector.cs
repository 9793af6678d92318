namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// A per-channel [C] (or per-row [rows]) operand in a host array: element c at <c>Offset + c·Stride</c>, read and written in
/// place.
/// </summary>
internal readonly record struct ChannelVector(float[] Data, int Offset, int Stride)
{
    public static ChannelVector Of(in StridedView view) => new(CpuBackend.Array(view.Buffer), view.Offset, view.Strides[0]);

    public static ChannelVector? OfOrNull(in StridedView? view) => view is { } v ? Of(v) : null;

    public ref float this[int channel] => ref Data[Offset + channel * Stride];
}
