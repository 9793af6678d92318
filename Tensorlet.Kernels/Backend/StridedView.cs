namespace Tensorlet.Kernels;

/// <summary>
/// Where the elements of an n-dimensional array live in a buffer: element [i0, i1, ...] is at
/// <c>Offset + Σ ik·Strides[k]</c>. A stride of 0 repeats an element (broadcasting). Kernels know nothing
/// of tensors; this is all they are told.
/// </summary>
public readonly struct StridedView
{
    public StridedView(DeviceBuffer buffer, int offset, int[] shape, int[] strides)
    {
        if (shape.Length != strides.Length)
            throw new ArgumentException($"Shape rank {shape.Length} differs from strides rank {strides.Length}.");
        Buffer = buffer;
        Offset = offset;
        Shape = shape;
        Strides = strides;
    }

    /// <summary>A dense row-major view of <paramref name="shape"/> starting at <paramref name="offset"/>.</summary>
    public static StridedView Contiguous(DeviceBuffer buffer, int offset, int[] shape) =>
        new(buffer, offset, shape, ContiguousStrides(shape));

    public DeviceBuffer Buffer { get; }
    public int Offset { get; }
    public int[] Shape { get; }
    public int[] Strides { get; }
    public int Rank => Shape.Length;

    /// <summary>Number of elements (product of the shape; 1 for a scalar).</summary>
    public int Count
    {
        get
        {
            int n = 1;
            foreach (int d in Shape) n *= d;
            return n;
        }
    }

    /// <summary>True when the elements are dense and row-major from <see cref="Offset"/> (size-1 dims ignored).</summary>
    public bool IsContiguous
    {
        get
        {
            int expected = 1;
            for (int k = Shape.Length - 1; k >= 0; k--)
            {
                if (Shape[k] == 1) continue;
                if (Strides[k] != expected) return false;
                expected *= Shape[k];
            }
            return true;
        }
    }

    /// <summary>Row-major strides of <paramref name="shape"/>.</summary>
    public static int[] ContiguousStrides(int[] shape)
    {
        var strides = new int[shape.Length];
        int s = 1;
        for (int k = shape.Length - 1; k >= 0; k--)
        {
            strides[k] = s;
            s *= shape[k];
        }
        return strides;
    }
}
