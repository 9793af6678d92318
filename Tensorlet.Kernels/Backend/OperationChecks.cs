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

    /// <summary>
    /// Reduce: src of any rank (at least 1) reduced over <paramref name="axis"/> into dst, which has src's shape with that
    /// axis kept as size 1.
    /// </summary>
    public static void Reduce(IBackend backend, ReduceOp op, in StridedView src, int axis, in StridedView dst)
    {
        string name = OpNames.Of(op);
        ArgumentChecks.View(backend, name, nameof(src), src);
        ArgumentChecks.View(backend, name, nameof(dst), dst);
        Axis(name, axis, src);
        if (dst.Rank != src.Rank || dst.Shape[axis] != 1 || !SameOutside(axis, src, dst))
        {
            var kept = (int[])src.Shape.Clone();
            kept[axis] = 1;
            throw new ArgumentException(
                $"{name}: 'dst' has shape {ArgumentChecks.Show(dst.Shape)} but reducing axis {axis} of 'src' {ArgumentChecks.Show(src.Shape)} " +
                $"gives {ArgumentChecks.Show(kept)} (the reduced axis stays as size 1).", nameof(dst));
        }
        if (src.Shape[axis] == 0 && op != ReduceOp.Sum && dst.Count > 0)
            throw new ArgumentException($"{name}: the axis is empty (axis {axis} of 'src' {ArgumentChecks.Show(src.Shape)}), and an empty axis has no maximum, minimum or index of one.", nameof(axis));
    }

    /// <summary>Gather: index has src's shape outside <paramref name="axis"/>, dst has index's shape.</summary>
    public static void Gather(IBackend backend, in StridedView src, in StridedView index, int axis, in StridedView dst)
    {
        const string op = "Gather";
        IndexViews(backend, op, src, index, axis, dst);
        if (index.Rank != src.Rank || !SameOutside(axis, src, index))
            throw OutsideAxis(op, "src", src, "index", index, axis);
        ArgumentChecks.SameShape(op, nameof(index), index, nameof(dst), dst);
    }

    /// <summary>
    /// ScatterAdd: index has src's shape, dst has src's shape outside <paramref name="axis"/>; dst is an accumulator, so it
    /// may not repeat an element (stride 0 over a dim of size &gt; 1).
    /// </summary>
    public static void ScatterAdd(IBackend backend, in StridedView src, in StridedView index, int axis, in StridedView dst)
    {
        const string op = "ScatterAdd";
        IndexViews(backend, op, src, index, axis, dst);
        ArgumentChecks.SameShape(op, nameof(src), src, nameof(index), index);
        if (dst.Rank != src.Rank || !SameOutside(axis, src, dst))
            throw OutsideAxis(op, "src", src, "dst", dst, axis);
        // An empty dst has no elements to repeat (its dense strides may be 0).
        for (int d = 0; d < dst.Rank && dst.Count > 0; d++)
            if (dst.Shape[d] > 1 && dst.Strides[d] == 0)
                throw new ArgumentException(
                    $"{op}: 'dst' repeats its elements (stride 0 in dimension {d} of shape {ArgumentChecks.Show(dst.Shape)}); an accumulator must not broadcast.",
                    nameof(dst));
    }

    /// <summary>What Gather and ScatterAdd both require: each view valid for the backend, and axis one of src's.</summary>
    private static void IndexViews(IBackend backend, string op, in StridedView src, in StridedView index, int axis,
                                   in StridedView dst)
    {
        ArgumentChecks.View(backend, op, nameof(src), src);
        ArgumentChecks.View(backend, op, nameof(index), index);
        ArgumentChecks.View(backend, op, nameof(dst), dst);
        Axis(op, axis, src);
    }

    private static void Axis(string op, int axis, in StridedView src)
    {
        if (axis < 0 || axis >= src.Rank)
            throw new ArgumentOutOfRangeException(nameof(axis), axis,
                $"{op}: axis {axis} is not a dimension of 'src' {ArgumentChecks.Show(src.Shape)} (rank {src.Rank}).");
    }

    private static bool SameOutside(int axis, in StridedView a, in StridedView b)
    {
        for (int d = 0; d < a.Rank; d++)
            if (d != axis && a.Shape[d] != b.Shape[d]) return false;
        return true;
    }

    private static ArgumentException OutsideAxis(string op, string argA, in StridedView a, string argB, in StridedView b, int axis) =>
        new($"{op}: '{argB}' has shape {ArgumentChecks.Show(b.Shape)} but '{argA}' has shape {ArgumentChecks.Show(a.Shape)}; " +
            $"they must have the same rank and match in every dimension but axis {axis}.", argB);

    /// <summary>
    /// The fault of a Gather or ScatterAdd index that is not an integer in [0, axis). Indices are data, so kernels find
    /// them (the GPU's only at the next synchronisation, which it adds as a <paramref name="note"/>); every backend
    /// reports them with this message.
    /// </summary>
    public static ArgumentOutOfRangeException BadIndex(string op, float value, long position, int axis, string? note = null) =>
        new("index", $"{op}: index {value} at position {position} of the index array (counted row-major) is out of range " +
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

    /// <summary>
    /// GEMM over views: a [batch, m, k], b [batch, k, n], c [batch, m, n], where a 2-D a or b is one matrix for every
    /// batch entry and a 2-D c is a batch of one. Every view in its buffer, the shapes agreeing, c not overlapping itself.
    /// </summary>
    public static (int Batch, int M, int N, int K) Gemm(IBackend backend, in StridedView a, in StridedView b, in StridedView c)
    {
        ArgumentChecks.View(backend, GemmName, nameof(a), a);
        ArgumentChecks.View(backend, GemmName, nameof(b), b);
        ArgumentChecks.View(backend, GemmName, nameof(c), c);
        return GemmShapes(a, b, c);
    }

    /// <summary>
    /// The shape part of <see cref="Gemm(IBackend, in StridedView, in StridedView, in StridedView)"/>, which a backend
    /// without memory (the meta device) still checks. Returns the batch and the matrix sizes.
    /// </summary>
    public static (int Batch, int M, int N, int K) GemmShapes(in StridedView a, in StridedView b, in StridedView c)
    {
        MatrixRank(nameof(a), a, "[batch, m, k]");
        MatrixRank(nameof(b), b, "[batch, k, n]");
        MatrixRank(nameof(c), c, "[batch, m, n]");
        int batch = c.Rank == 3 ? c.Shape[0] : 1, m = c.Shape[^2], n = c.Shape[^1], k = a.Shape[^1];
        string shapes = $"a {ArgumentChecks.Show(a.Shape)}, b {ArgumentChecks.Show(b.Shape)}, c {ArgumentChecks.Show(c.Shape)}";
        if (a.Shape[^2] != m)
            throw new ArgumentException($"{GemmName}: 'a' has {a.Shape[^2]} rows but 'c' has {m} ({shapes}).", nameof(a));
        if (b.Shape[^2] != k)
            throw new ArgumentException($"{GemmName}: 'a' has {k} columns but 'b' has {b.Shape[^2]} rows ({shapes}).", nameof(b));
        if (b.Shape[^1] != n)
            throw new ArgumentException($"{GemmName}: 'b' has {b.Shape[^1]} columns but 'c' has {n} ({shapes}).", nameof(b));
        foreach (var (name, view) in new[] { (nameof(a), a), (nameof(b), b) })
            if (view.Rank == 3 && view.Shape[0] != batch)
                throw new ArgumentException(
                    $"{GemmName}: '{name}' has a batch of {view.Shape[0]} but 'c' has {batch} ({shapes}); " +
                    "to repeat one matrix, pass it 2-D or with a batch stride of 0.", name);
        ArgumentChecks.NoOverlap(GemmName, nameof(c), c);
        return (batch, m, n, k);
    }

    private static void MatrixRank(string arg, in StridedView view, string layout)
    {
        if (view.Shape is null) throw new ArgumentException($"{GemmName}: '{arg}' is a default view with no shape.", arg);
        if (view.Rank is not (2 or 3))
            throw new ArgumentException(
                $"{GemmName}: '{arg}' has shape {ArgumentChecks.Show(view.Shape)}; a GEMM operand is {layout} or a 2-D matrix.", arg);
    }

    /// <summary>
    /// The same check for one GEMM over host spans of the given lengths, each matrix starting at element 0 (the
    /// span-taking GEMMs: <c>Cpu.Sgemm.Multiply</c>, <see cref="Reference.Gemm.Multiply"/>). Same rules, same messages.
    /// </summary>
    public static void Gemm(bool transA, bool transB, int m, int n, int k, int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentException($"{GemmName}: sizes must be non-negative, got m={m}, n={n}, k={k}.", m < 0 ? nameof(m) : n < 0 ? nameof(n) : nameof(k));
        var shape = new GemmShape(transA, transB, m, n, k);
        shape.CheckA(aLength, lda);
        shape.CheckB(bLength, ldb);
        shape.CheckC(cLength, ldc);
    }

    private const string GemmName = "Gemm";

    /// <summary>The stored shapes of a span GEMM's operands: A is m×k (k×m transposed), B is k×n (n×k), C is m×n.</summary>
    private readonly record struct GemmShape(bool TransA, bool TransB, int M, int N, int K)
    {
        public void CheckA(int length, int ld) => Matrix("a", "lda", TransA ? K : M, TransA ? M : K, TransA, length, ld);

        public void CheckB(int length, int ld) => Matrix("b", "ldb", TransB ? N : K, TransB ? K : N, TransB, length, ld);

        public void CheckC(int length, int ld) => Matrix("c", "ldc", M, N, false, length, ld);

        /// <summary>A row-major rows×cols matrix with leading dimension ld from element 0.</summary>
        private void Matrix(string arg, string ldName, int rows, int cols, bool transposed, int length, int ld)
        {
            string shape = $"{rows}×{cols}{(transposed ? " (transposed)" : "")}";
            string sizes = $"m={M}, n={N}, k={K}";
            if (ld < Math.Max(1, cols))
                throw new ArgumentException(
                    $"{GemmName}: leading dimension of '{arg}' is {ld} ({ldName}={ld}), less than the row length {cols} of its {shape} matrix ({sizes}).", ldName);
            if (rows == 0 || cols == 0) return;
            long extent = (long)(rows - 1) * ld + cols;
            if (extent <= length) return;
            throw new ArgumentException(
                $"{GemmName}: '{arg}' is a {shape} matrix with {ldName}={ld}, which needs {extent} elements, but its buffer has {length} ({sizes}).", arg);
        }
    }

    /// <summary>
    /// Softmax and its backward: views of one shape in their buffers (the output last), rank ≥ 1 (the softmax runs along
    /// the last dimension), the output not overlapping itself.
    /// </summary>
    public static void Softmax(IBackend backend, string op, params (string Name, StridedView View)[] views)
    {
        foreach (var (name, view) in views) ArgumentChecks.View(backend, op, name, view);
        SoftmaxShapes(op, views);
    }

    /// <summary>The shape part of <see cref="Softmax"/>, which a backend without memory (the meta device) still checks.</summary>
    public static void SoftmaxShapes(string op, params (string Name, StridedView View)[] views)
    {
        var (dstName, dst) = views[^1];
        foreach (var (name, view) in views)
            if (view.Shape is null) throw new ArgumentException($"{op}: '{name}' is a default view with no shape.", name);
        for (int i = 0; i < views.Length - 1; i++) ArgumentChecks.SameShape(op, views[i].Name, views[i].View, dstName, dst);
        if (dst.Rank == 0)
            throw new ArgumentException($"{op}: '{dstName}' is a scalar (shape []); softmax runs along the last dimension, so it needs rank 1 or more.", dstName);
        ArgumentChecks.NoOverlap(op, dstName, dst);
    }

    /// <summary>Returns the mask value for kept elements, 1/(1 − p) (0 when p = 1).</summary>
    public static float DropoutMask(IBackend backend, in StridedView mask, float p)
    {
        const string op = "DropoutMask";
        ArgumentChecks.View(backend, op, nameof(mask), mask);
        if (!(p >= 0f && p <= 1f)) throw new ArgumentOutOfRangeException(nameof(p), p, $"{op}: p must be in [0, 1].");
        return p >= 1f ? 0f : 1f / (1f - p);
    }
}
