namespace Tensorlet.Kernels;

/// <summary>
/// An operand a kernel walks block by block: the trailing dimensions of each block dense and row-major, the blocks
/// themselves at any strides along the leading one or two dimensions — an image of a batch ([N | C, H, W]), or a
/// channel plane ([N, C | H, W]). A batch slice, a channel slice of a wider NCHW buffer or a broadcast batch is such
/// an operand as it is; any other layout is opened through <see cref="DenseOperand"/>, so its copy is made in the one
/// place copies are made. Block (i, j) starts at <c>Offset + i·Stride0 + j·Stride1</c>.
/// </summary>
/// <param name="Stride0">Distance between blocks along dimension 0.</param>
/// <param name="Stride1">Distance between blocks along dimension 1 (with two leading dimensions).</param>
/// <param name="Dense">The dense copy or scratch when one was made; released by <see cref="Dispose"/>.</param>
internal readonly record struct BlockOperand(DeviceBuffer Buffer, int Offset, int Stride0, int Stride1, DenseOperand Dense)
    : IDisposable
{
    /// <summary>True when the kernel works on a dense copy rather than the caller's memory.</summary>
    public bool IsCopy => Dense.IsCopy;

    /// <summary>An input: <paramref name="view"/> itself when its blocks are dense, else a dense copy.</summary>
    public static BlockOperand Read(IBackend backend, in StridedView view, int leading) =>
        Walkable(view, leading, output: false) ? Of(view, leading, default) : Of(DenseOperand.Read(backend, view), leading);

    /// <summary>
    /// An output: <paramref name="view"/> itself when its blocks are dense and disjoint, else dense scratch that
    /// <see cref="Complete"/> copies into it.
    /// </summary>
    public static BlockOperand Write(IBackend backend, in StridedView view, int leading) =>
        Walkable(view, leading, output: true) ? Of(view, leading, default) : Of(DenseOperand.Write(backend, view), leading);

    /// <summary>For an output: stores the kernel's result in the caller's view when it went to scratch.</summary>
    public void Complete() => Dense.Complete();

    public void Dispose() => Dense.Dispose();

    private static BlockOperand Of(DenseOperand dense, int leading) => Of(dense.View, leading, dense);

    private static BlockOperand Of(in StridedView view, int leading, DenseOperand dense) =>
        new(view.Buffer, view.Offset, view.Strides[0], leading > 1 ? view.Strides[1] : 0, dense);

    /// <summary>
    /// Whether the dimensions after <paramref name="leading"/> are dense and row-major; for an output also that no two
    /// blocks overlap (so threads writing different blocks never write the same element).
    /// </summary>
    private static bool Walkable(in StridedView view, int leading, bool output)
    {
        if (view.IsContiguous) return true;
        int block = 1;
        for (int d = view.Rank - 1; d >= leading; d--)
        {
            if (view.Shape[d] == 1) continue;
            if (view.Strides[d] != block) return false;
            block *= view.Shape[d];
        }
        if (!output) return true;
        // Disjoint blocks: ordered by stride, each leading dimension must step over everything inside it.
        Span<(long Stride, int Size)> dims = stackalloc (long, int)[2];
        int count = 0;
        for (int d = 0; d < leading; d++)
            if (view.Shape[d] > 1) dims[count++] = (Math.Abs((long)view.Strides[d]), view.Shape[d]);
        if (count == 2 && dims[0].Stride > dims[1].Stride) (dims[0], dims[1]) = (dims[1], dims[0]);
        long extent = block;
        for (int i = 0; i < count; i++)
        {
            if (dims[i].Stride < extent) return false;
            extent = dims[i].Stride * dims[i].Size;
        }
        return true;
    }
}
