namespace Tensorlet.Kernels;

/// <summary>
/// The whole argument check of each <see cref="IBackend"/> operation, shared by every backend so that a call one
/// backend rejects is rejected by all, with the same message. Each method validates sizes, ownership and that every
/// operand fits its buffer; after it returns, a backend runs its kernel without further checks.
/// </summary>
public static partial class OperationChecks
{
    /// <summary>Element-wise ops: every view in bounds and every shape equal to the destination's (the last one).</summary>
    public static void Views(IBackend backend, string op, params (string Name, StridedView View)[] views)
    {
        foreach (var (name, view) in views) ArgumentChecks.View(backend, op, name, view);
        var (dstName, dst) = views[^1];
        for (int i = 0; i < views.Length - 1; i++) ArgumentChecks.SameShape(op, views[i].Name, views[i].View, dstName, dst);
    }

    public static void Reduce(IBackend backend, ReduceOp op, DeviceBuffer src, int srcOffset, int outer, int axis, int inner,
                              DeviceBuffer dst, int dstOffset)
    {
        string name = OpNames.Of(op);
        ArgumentChecks.NonNegative(name, (nameof(outer), outer), (nameof(axis), axis), (nameof(inner), inner));
        ArgumentChecks.Operand(backend, name, nameof(src), src, srcOffset, (long)outer * axis * inner);
        ArgumentChecks.Operand(backend, name, nameof(dst), dst, dstOffset, (long)outer * inner);
        if (axis == 0 && op != ReduceOp.Sum && (long)outer * inner > 0)
            throw new ArgumentException($"{name}: the axis is empty (axis = 0), and an empty axis has no maximum, minimum or index of one.", nameof(axis));
    }

    public static void Gather(IBackend backend, DeviceBuffer src, int srcOffset, int outer, int axis, int inner,
                              DeviceBuffer index, int indexOffset, int k, DeviceBuffer dst, int dstOffset)
    {
        const string op = "Gather";
        ArgumentChecks.NonNegative(op, (nameof(outer), outer), (nameof(axis), axis), (nameof(inner), inner), (nameof(k), k));
        ArgumentChecks.Operand(backend, op, nameof(src), src, srcOffset, (long)outer * axis * inner);
        ArgumentChecks.Operand(backend, op, nameof(index), index, indexOffset, (long)outer * k * inner);
        ArgumentChecks.Operand(backend, op, nameof(dst), dst, dstOffset, (long)outer * k * inner);
    }

    public static void ScatterAdd(IBackend backend, DeviceBuffer src, int srcOffset, int outer, int k, int inner,
                                  DeviceBuffer index, int indexOffset, int axis, DeviceBuffer dst, int dstOffset)
    {
        const string op = "ScatterAdd";
        ArgumentChecks.NonNegative(op, (nameof(outer), outer), (nameof(k), k), (nameof(inner), inner), (nameof(axis), axis));
        ArgumentChecks.Operand(backend, op, nameof(src), src, srcOffset, (long)outer * k * inner);
        ArgumentChecks.Operand(backend, op, nameof(index), index, indexOffset, (long)outer * k * inner);
        ArgumentChecks.Operand(backend, op, nameof(dst), dst, dstOffset, (long)outer * axis * inner);
    }

    /// <summary>
    /// The fault of a Gather or ScatterAdd index that is not an integer in [0, axis). Indices are data, so kernels find
    /// them (the GPU's only at the next synchronisation, which it adds as a <paramref name="note"/>); every backend
    /// reports them with this message.
    /// </summary>
    public static ArgumentOutOfRangeException BadIndex(string op, float value, long position, int axis, string? note = null) =>
        new("index", $"{op}: index {value} at position {position} of the index array (row-major [outer, k, inner]) is out of range " +
                     $"for an axis of size {axis} (indices must be integers in [0, {axis})).{Note(note)}");

    /// <summary>True for what <see cref="BadIndex"/> refuses; written so that NaN is refused.</summary>
    public static bool IsValidIndex(float value, int axis) => value >= 0 && value < axis && value == MathF.Floor(value);

    /// <summary>
    /// The fault of a max-pool index that the forward pass could not have produced: not the flat position of an element
    /// of output <paramref name="output"/>'s window (outputs counted row-major within their plane).
    /// </summary>
    public static ArgumentOutOfRangeException BadMaxPoolIndex(float value, int plane, int output, string? note = null) =>
        new("indices", value,
            $"MaxPool2dBackward: index {value} of output {output} in plane {plane} (outputs counted row-major within the plane) is not " +
            $"a position in that output's window; the forward pass could not have produced it.{Note(note)}");

    private static string Note(string? note) => note == null ? "" : " " + note;

    public static void Gemm(IBackend backend, bool transA, bool transB, int m, int n, int k,
                            DeviceBuffer a, int offA, int lda, int strideA, DeviceBuffer b, int offB, int ldb, int strideB,
                            DeviceBuffer c, int offC, int ldc, int strideC, int batch)
    {
        GemmSizes(m, n, k, batch);
        var pa = ArgumentChecks.Buffer(backend, GemmName, nameof(a), a);
        var pb = ArgumentChecks.Buffer(backend, GemmName, nameof(b), b);
        var pc = ArgumentChecks.Buffer(backend, GemmName, nameof(c), c);
        var shape = new GemmShape(transA, transB, m, n, k);
        shape.CheckA(pa.Length, offA, lda, strideA, batch);
        shape.CheckB(pb.Length, offB, ldb, strideB, batch);
        shape.CheckC(pc.Length, offC, ldc, strideC, batch);
    }

    /// <summary>
    /// The same check for one GEMM over host spans of the given lengths, each matrix starting at element 0 (the
    /// span-taking GEMMs: <c>Cpu.Sgemm.Multiply</c>, <see cref="Reference.Gemm.Multiply"/>). Same rules, same messages.
    /// </summary>
    public static void Gemm(bool transA, bool transB, int m, int n, int k, int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        GemmSizes(m, n, k, 1);
        var shape = new GemmShape(transA, transB, m, n, k);
        shape.CheckA(aLength, 0, lda, 0, 1);
        shape.CheckB(bLength, 0, ldb, 0, 1);
        shape.CheckC(cLength, 0, ldc, 0, 1);
    }

    private const string GemmName = "Gemm";

    private static void GemmSizes(int m, int n, int k, int batch)
    {
        if (m >= 0 && n >= 0 && k >= 0 && batch >= 0) return;
        string arg = m < 0 ? nameof(m) : n < 0 ? nameof(n) : k < 0 ? nameof(k) : nameof(batch);
        throw new ArgumentException($"{GemmName}: sizes must be non-negative, got m={m}, n={n}, k={k}, batch={batch}.", arg);
    }

    /// <summary>The stored shapes of a GEMM's operands: A is m×k (k×m transposed), B is k×n (n×k), C is m×n.</summary>
    private readonly record struct GemmShape(bool TransA, bool TransB, int M, int N, int K)
    {
        public void CheckA(int length, int offset, int ld, int stride, int batch) =>
            Matrix("a", "lda", TransA ? K : M, TransA ? M : K, TransA, length, offset, ld, stride, batch);

        public void CheckB(int length, int offset, int ld, int stride, int batch) =>
            Matrix("b", "ldb", TransB ? N : K, TransB ? K : N, TransB, length, offset, ld, stride, batch);

        public void CheckC(int length, int offset, int ld, int stride, int batch) =>
            Matrix("c", "ldc", M, N, false, length, offset, ld, stride, batch);

        /// <summary>A row-major rows×cols matrix with leading dimension ld, repeated batch times stride apart.</summary>
        private void Matrix(string arg, string ldName, int rows, int cols, bool transposed, int length, int offset, int ld, int stride, int batch)
        {
            string shape = $"{rows}×{cols}{(transposed ? " (transposed)" : "")}";
            string sizes = $"m={M}, n={N}, k={K}";
            if (ld < Math.Max(1, cols))
                throw new ArgumentException(
                    $"{GemmName}: leading dimension of '{arg}' is {ld} ({ldName}={ld}), less than the row length {cols} of its {shape} matrix ({sizes}).", ldName);
            if (rows == 0 || cols == 0 || batch == 0) return;
            long extent = (long)(rows - 1) * ld + cols;
            long last = offset + (long)(batch - 1) * stride, lo = Math.Min(offset, last), hi = Math.Max(offset, last) + extent;
            if (lo >= 0 && hi <= length) return;
            string repeats = batch > 1 ? $", {batch} of them {stride} apart from {offset}" : offset != 0 ? $" from {offset}" : "";
            throw new ArgumentException(
                $"{GemmName}: '{arg}' needs elements [{lo}, {hi}) but its buffer has {length} elements: a {shape} matrix with {ldName}={ld} " +
                $"needs {extent}{repeats} ({sizes}).", arg);
        }
    }

    /// <summary>Softmax and its backward: every operand a [rows, cols] array.</summary>
    public static void Rows(IBackend backend, string op, int rows, int cols, params (string Name, DeviceBuffer Buffer, int Offset)[] operands)
    {
        ArgumentChecks.NonNegative(op, (nameof(rows), rows), (nameof(cols), cols));
        foreach (var (name, buffer, offset) in operands) ArgumentChecks.Operand(backend, op, name, buffer, offset, (long)rows * cols);
    }

    /// <summary>Returns the mask value for kept elements, 1/(1 − p) (0 when p = 1).</summary>
    public static float DropoutMask(IBackend backend, DeviceBuffer mask, int offset, int count, float p)
    {
        const string op = "DropoutMask";
        ArgumentChecks.NonNegative(op, (nameof(count), count));
        if (!(p >= 0f && p <= 1f)) throw new ArgumentOutOfRangeException(nameof(p), p, $"{op}: p must be in [0, 1].");
        ArgumentChecks.Operand(backend, op, nameof(mask), mask, offset, count);
        return p >= 1f ? 0f : 1f / (1f - p);
    }
}
