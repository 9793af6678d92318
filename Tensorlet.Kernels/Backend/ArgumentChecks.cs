namespace Tensorlet.Kernels;

/// <summary>
/// The argument checks every backend entry point runs before touching memory. Kernels behind them use unchecked
/// refs (CPU) or unchecked device views (GPU), so these checks are what keeps a bad view from reading outside its
/// buffer. Every message names the operation, the argument and the sizes involved.
/// </summary>
internal static class ArgumentChecks
{
    /// <summary>Checks that the buffer exists, is live and was allocated by <paramref name="backend"/>.</summary>
    public static DeviceBuffer Buffer(IBackend backend, string op, string arg, DeviceBuffer? buffer)
    {
        if (buffer is null) throw new ArgumentNullException(arg, $"{op}: '{arg}' is null.");
        if (buffer.IsDisposed) throw new ArgumentException($"{op}: '{arg}' is a disposed buffer (length {buffer.Length}); its memory is back in the pool.", arg);
        if (!ReferenceEquals(buffer.Backend, backend))
            throw new ArgumentException($"{op}: '{arg}' belongs to backend '{buffer.Backend.Name}', not '{backend.Name}'; copy it across first.", arg);
        return buffer;
    }

    /// <summary>Checks the buffer and that [offset, offset + count) lies inside it.</summary>
    public static DeviceBuffer Operand(IBackend backend, string op, string arg, DeviceBuffer buffer, long offset, long count)
    {
        var checkedBuffer = Buffer(backend, op, arg, buffer);
        Range(op, arg, checkedBuffer.Length, offset, count);
        return checkedBuffer;
    }

    /// <summary>Checks that every element of the view lies inside its buffer.</summary>
    public static DeviceBuffer View(IBackend backend, string op, string arg, in StridedView view)
    {
        var data = Buffer(backend, op, arg, view.Buffer);
        if (view.Shape is null) throw new ArgumentException($"{op}: '{arg}' is a default view with no shape.", arg);
        long lo = view.Offset, hi = view.Offset;
        for (int d = 0; d < view.Rank; d++)
        {
            int size = view.Shape[d];
            if (size < 0) throw new ArgumentException($"{op}: '{arg}' has a negative dimension in shape {Show(view.Shape)}.", arg);
            if (size == 0) return data;
            long reach = (long)(size - 1) * view.Strides[d];
            if (reach < 0) lo += reach; else hi += reach;
        }
        if (lo < 0 || hi >= data.Length)
            throw new ArgumentException(
                $"{op}: '{arg}' (offset {view.Offset}, shape {Show(view.Shape)}, strides {Show(view.Strides)}) spans elements [{lo}, {hi}] " +
                $"but its buffer has {data.Length} elements.", arg);
        return data;
    }

    /// <summary>
    /// Checks that an output view reaches each of its elements once: ordered by stride, each dimension must step past
    /// everything the smaller ones span (what every slice or permutation of a dense array does). A stride of 0 over more
    /// than one element, which would make the result depend on the order of the writes, is refused.
    /// </summary>
    public static void NoOverlap(string op, string arg, in StridedView view)
    {
        if (view.Count == 0) return;
        int[] shape = view.Shape, strides = view.Strides;
        // The dimensions of more than one element, by increasing |stride| (insertion sort: ranks are small).
        Span<int> dims = stackalloc int[shape.Length];
        int count = 0;
        for (int d = 0; d < shape.Length; d++)
        {
            if (shape[d] <= 1) continue;
            int at = count++;
            for (; at > 0 && Math.Abs((long)strides[dims[at - 1]]) > Math.Abs((long)strides[d]); at--) dims[at] = dims[at - 1];
            dims[at] = d;
        }
        long span = 0;
        foreach (int d in dims[..count])
        {
            long stride = Math.Abs((long)strides[d]);
            if (stride <= span)
                throw new ArgumentException(
                    $"{op}: output '{arg}' (shape {Show(view.Shape)}, strides {Show(view.Strides)}) reaches some elements more than once; " +
                    "an output must not overlap itself.", arg);
            span += (shape[d] - 1) * stride;
        }
    }

    public static void SameShape(string op, string argA, in StridedView a, string argB, in StridedView b)
    {
        if (a.Shape.AsSpan().SequenceEqual(b.Shape)) return;
        throw new ArgumentException($"{op}: '{argA}' has shape {Show(a.Shape)} but '{argB}' has shape {Show(b.Shape)}; they must match (broadcast with stride 0).", argB);
    }

    /// <summary>Checks that [offset, offset + count) lies inside a buffer of <paramref name="length"/> elements.</summary>
    public static void Range(string op, string arg, int length, long offset, long count)
    {
        if (offset < 0 || count < 0 || offset + count > length)
            throw new ArgumentException($"{op}: '{arg}' needs elements [{offset}, {offset + count}) but its buffer has {length} elements.", arg);
    }

    public static void NonNegative(string op, params (string Name, int Value)[] sizes)
    {
        foreach (var (name, value) in sizes)
            if (value < 0) throw new ArgumentOutOfRangeException(name, value, $"{op}: '{name}' is {value}; sizes must be non-negative.");
    }

    public static string Show(int[] values) => "[" + string.Join(", ", values) + "]";
}
