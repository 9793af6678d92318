namespace Tensorlet.Kernels;

/// <summary>
/// A GEMM operand in the form the CPU and GPU kernels take: matrix i of the batch starts at
/// <c>Offset + i·BatchStride</c>, and its rows are <see cref="Ld"/> apart — or, when <see cref="Trans"/>, it is stored
/// transposed and its columns are.
/// </summary>
internal readonly record struct GemmOperand(DeviceBuffer Buffer, int Offset, bool Trans, int Ld, int BatchStride)
{
    /// <summary>
    /// How the kernels read a [batch, rows, cols] (or [rows, cols]) view in place: unit column stride as it is, unit row
    /// stride as a transpose, any batch stride (0 repeats the matrix). Null when neither stride is 1 (or the other one
    /// is too short for a leading dimension): that layout needs a dense copy. Size-1 dimensions match either form.
    /// </summary>
    public static GemmOperand? InPlace(in StridedView view)
    {
        int rows = view.Shape[^2], cols = view.Shape[^1], rowStride = view.Strides[^2], colStride = view.Strides[^1];
        int batchStride = view.Rank == 3 && view.Shape[0] > 1 ? view.Strides[0] : 0;
        if ((cols <= 1 || colStride == 1) && (rows <= 1 || rowStride >= cols))
            return new(view.Buffer, view.Offset, false, Math.Max(1, rows <= 1 ? cols : rowStride), batchStride);
        if ((rows <= 1 || rowStride == 1) && (cols <= 1 || colStride >= rows))
            return new(view.Buffer, view.Offset, true, Math.Max(1, cols <= 1 ? rows : colStride), batchStride);
        return null;
    }

    /// <summary>The same operand read transposed: a plain matrix becomes a transposed one of the same memory and back.</summary>
    public GemmOperand Transposed => this with { Trans = !Trans };
}
