namespace Tensorlet.Kernels.Reference;

/// <summary>
/// An n-dimensional view of a host array, the reference kernels' twin of <see cref="StridedView"/>: element
/// [i0, i1, ...] is at <c>Offset + Σ ik·Strides[k]</c>.
/// </summary>
public readonly record struct HostView(float[] Data, int Offset, int[] Shape, int[] Strides)
{
    /// <summary>A dense row-major view of the whole array.</summary>
    public static HostView Contiguous(float[] data, params int[] shape) => new(data, 0, shape, StridedView.ContiguousStrides(shape));

    public int Count => Shape.Aggregate(1, (n, d) => n * d);

    /// <summary>Where the element with flat row-major number <paramref name="flat"/> lives in <see cref="Data"/>.</summary>
    public int IndexOf(int flat)
    {
        int at = Offset;
        for (int d = Shape.Length - 1; d >= 0; d--)
        {
            at += flat % Shape[d] * Strides[d];
            flat /= Shape[d];
        }
        return at;
    }

    public float this[int flat]
    {
        get => Data[IndexOf(flat)];
        set => Data[IndexOf(flat)] = value;
    }
}
