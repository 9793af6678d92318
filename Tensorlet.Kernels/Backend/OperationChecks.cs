namespace Tensorlet.Kernels;

/// <summary>
/// The whole argument check of each <see cref="IBackend"/> operation, shared by every backend so that a call one
/// backend rejects is rejected by all, with the same message. Each method validates sizes, ownership and that every
/// operand fits its buffer; after it returns, a backend runs its kernel without further checks.
/// </summary>
public static class OperationChecks
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

    // ---- convolution, pooling and batch norm -----------------------------------------------------------
    // Each check takes the backend whose buffers the views must be, or null for shapes alone: the meta device has no
    // memory to check the views against, but still refuses a call whose shapes disagree, with the same message.

    /// <summary>A view of <paramref name="backend"/>'s memory that lies inside its buffer; with no backend, only a view with a shape.</summary>
    private static void InBounds(IBackend? backend, string op, string arg, in StridedView view)
    {
        if (backend != null) ArgumentChecks.View(backend, op, arg, view);
        else if (view.Shape is null) throw new ArgumentException($"{op}: '{arg}' is a default view with no shape.", arg);
    }

    // ---- convolution ----------------------------------------------------------------------------------

    public static void Conv2d(IBackend? backend, in Conv2dGeometry g, in StridedView x, in StridedView weight, in StridedView? bias,
                              in StridedView y)
    {
        const string op = "Conv2d";
        g.Validate();
        Shaped(backend, op, nameof(x), x, g.InputShape());
        Shaped(backend, op, nameof(weight), weight, g.WeightShape());
        if (bias is { } b) Shaped(backend, op, nameof(bias), b, [g.K]);
        Shaped(backend, op, nameof(y), y, g.OutputShape());
    }

    public static void Conv2dBackwardInput(IBackend? backend, in Conv2dGeometry g, in StridedView gradY, in StridedView weight,
                                           in StridedView gradX)
    {
        const string op = "Conv2dBackwardInput";
        g.Validate();
        Shaped(backend, op, nameof(gradY), gradY, g.OutputShape());
        Shaped(backend, op, nameof(weight), weight, g.WeightShape());
        Shaped(backend, op, nameof(gradX), gradX, g.InputShape());
    }

    public static void Conv2dBackwardWeight(IBackend? backend, in Conv2dGeometry g, in StridedView x, in StridedView gradY,
                                            in StridedView gradW, in StridedView? gradBias)
    {
        const string op = "Conv2dBackwardWeight";
        g.Validate();
        Shaped(backend, op, nameof(x), x, g.InputShape());
        Shaped(backend, op, nameof(gradY), gradY, g.OutputShape());
        Shaped(backend, op, nameof(gradW), gradW, g.WeightShape());
        if (gradBias is { } gb) Shaped(backend, op, nameof(gradBias), gb, [g.K]);
    }

    /// <summary>Unfold and Fold: x is [N, C, H, W], cols [N, C·KH·KW, OH·OW].</summary>
    public static void Unfold(IBackend? backend, string op, in Conv2dGeometry g, in StridedView x, in StridedView cols)
    {
        g.Validate();
        Shaped(backend, op, nameof(x), x, g.InputShape());
        Shaped(backend, op, nameof(cols), cols, g.ColumnsShape());
    }

    /// <summary>A view in bounds of its buffer whose shape is the one the call's sizes give.</summary>
    private static void Shaped(IBackend? backend, string op, string arg, in StridedView view, int[] shape)
    {
        InBounds(backend, op, arg, view);
        if (view.Shape.AsSpan().SequenceEqual(shape)) return;
        throw new ArgumentException(
            $"{op}: '{arg}' has shape {ArgumentChecks.Show(view.Shape)} but the call's sizes need {ArgumentChecks.Show(shape)}.", arg);
    }

    // ---- pooling --------------------------------------------------------------------------------------

    /// <summary>Returns the number of outputs (N·C·OH·OW).</summary>
    public static long MaxPool2d(IBackend? backend, in Pool2dGeometry g, in StridedView x, in StridedView y, in StridedView indices) =>
        Pool(backend, "MaxPool2d", g, (nameof(x), x, true), (nameof(y), y, false), (nameof(indices), indices, false)).Output;

    /// <summary>Returns the number of inputs (N·C·H·W).</summary>
    public static long MaxPool2dBackward(IBackend? backend, in Pool2dGeometry g, in StridedView gradY, in StridedView indices, in StridedView gradX) =>
        Pool(backend, "MaxPool2dBackward", g, (nameof(gradY), gradY, false), (nameof(indices), indices, false), (nameof(gradX), gradX, true)).Input;

    /// <summary>Returns the number of outputs (N·C·OH·OW).</summary>
    public static long AvgPool2d(IBackend? backend, in Pool2dGeometry g, in StridedView x, in StridedView y) =>
        Pool(backend, "AvgPool2d", g, (nameof(x), x, true), (nameof(y), y, false)).Output;

    /// <summary>Returns the number of inputs (N·C·H·W).</summary>
    public static long AvgPool2dBackward(IBackend? backend, in Pool2dGeometry g, in StridedView gradY, in StridedView gradX) =>
        Pool(backend, "AvgPool2dBackward", g, (nameof(gradY), gradY, false), (nameof(gradX), gradX, true)).Input;

    public static AdaptivePoolSizes AdaptiveAvgPool2d(IBackend? backend, in StridedView x, in StridedView y) =>
        AdaptivePool(backend, "AdaptiveAvgPool2d", (nameof(x), x), (nameof(y), y));

    public static AdaptivePoolSizes AdaptiveAvgPool2dBackward(IBackend? backend, in StridedView gradY, in StridedView gradX) =>
        AdaptivePool(backend, "AdaptiveAvgPool2dBackward", (nameof(gradX), gradX), (nameof(gradY), gradY));

    /// <summary>
    /// Validates the geometry and each (name, view, is-input) operand: inputs [N, C, H, W], outputs [N, C, OH, OW].
    /// Returns the input and output element counts.
    /// </summary>
    private static (long Input, long Output) Pool(IBackend? backend, string op, in Pool2dGeometry g,
                                                  params (string Name, StridedView View, bool IsInput)[] operands)
    {
        g.Validate();
        foreach (var (name, view, isInput) in operands)
            Shaped(backend, op, name, view, isInput ? g.InputShape() : g.OutputShape());
        long planes = (long)g.N * g.C;
        return (planes * g.H * g.W, planes * g.OutH * g.OutW);
    }

    /// <summary>
    /// Adaptive pooling: <paramref name="input"/> [N, C, H, W] and <paramref name="output"/> [N, C, OH, OW], both planes
    /// non-empty. Returns the sizes.
    /// </summary>
    private static AdaptivePoolSizes AdaptivePool(IBackend? backend, string op, (string Name, StridedView View) input,
                                                  (string Name, StridedView View) output)
    {
        InBounds(backend, op, input.Name, input.View);
        InBounds(backend, op, output.Name, output.View);
        int[] a = input.View.Shape, b = output.View.Shape;
        if (a.Length != 4 || b.Length != 4 || a[0] != b[0] || a[1] != b[1])
            throw new ArgumentException(
                $"{op}: '{input.Name}' {ArgumentChecks.Show(a)} and '{output.Name}' {ArgumentChecks.Show(b)} must be [N, C, H, W] and " +
                "[N, C, OH, OW] with the same N and C.", output.Name);
        if (a[2] == 0 || a[3] == 0 || b[2] == 0 || b[3] == 0)
            throw new ArgumentException($"{op}: input {a[2]}×{a[3]} and output {b[2]}×{b[3]} must be non-empty.", input.Name);
        return new AdaptivePoolSizes(a[0], a[1], a[2], a[3], b[2], b[3]);
    }

    // ---- normalisation --------------------------------------------------------------------------------

    /// <summary>Returns N·C·HW.</summary>
    public static long BatchNormForward(IBackend? backend, BatchNormArgs args, in StridedView y)
    {
        const string op = "BatchNormForward";
        long count = BatchNormCommon(backend, op, args);
        Shaped(backend, op, nameof(y), y, args.X.Shape);
        var rm = Channels(backend, op, "runningMean", args.RunningMean, args.C);
        var rv = Channels(backend, op, "runningVar", args.RunningVar, args.C);
        if (!args.UseBatchStats && (rm == null || rv == null))
            throw new ArgumentException($"{op}: normalising with running statistics needs both runningMean and runningVar.");
        Channels(backend, op, "beta", args.Beta, args.C);
        return count;
    }

    /// <summary>Returns N·C·HW.</summary>
    public static long BatchNormBackward(IBackend? backend, BatchNormArgs args, in StridedView gradY, BatchNormGrads grads)
    {
        const string op = "BatchNormBackward";
        ArgumentNullException.ThrowIfNull(grads);
        long count = BatchNormCommon(backend, op, args);
        Shaped(backend, op, nameof(gradY), gradY, args.X.Shape);
        if (grads.GradX is { } gx) Shaped(backend, op, "gradX", gx, args.X.Shape);
        Channels(backend, op, "gradGamma", grads.GradGamma, args.C);
        Channels(backend, op, "gradBeta", grads.GradBeta, args.C);
        return count;
    }

    /// <summary>The checks forward and backward share: x ([N, C, ...]), γ and the saved statistics. Returns N·C·HW.</summary>
    private static long BatchNormCommon(IBackend? backend, string op, BatchNormArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        InBounds(backend, op, "x", args.X);
        if (args.X.Rank < 2)
            throw new ArgumentException($"{op}: 'x' has shape {ArgumentChecks.Show(args.X.Shape)}; batch norm needs [N, C, ...].", "x");
        int c = args.C;
        Channels(backend, op, "gamma", args.Gamma, c);
        Channels(backend, op, "saveMean", args.SaveMean, c);
        Channels(backend, op, "saveInvStd", args.SaveInvStd, c);
        return args.X.Count;
    }

    /// <summary>A per-channel vector: null stays null, otherwise a [C] view in bounds.</summary>
    private static StridedView? Channels(IBackend? backend, string op, string arg, StridedView? view, int c)
    {
        if (view is { } v) Shaped(backend, op, arg, v, [c]);
        return view;
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
