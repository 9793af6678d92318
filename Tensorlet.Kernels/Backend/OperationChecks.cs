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

    public static void Gemm(IBackend backend, bool transA, bool transB, int m, int n, int k,
                            DeviceBuffer a, int offA, int lda, int strideA, DeviceBuffer b, int offB, int ldb, int strideB,
                            DeviceBuffer c, int offC, int ldc, int strideC, int batch)
    {
        const string op = "Gemm";
        ArgumentChecks.NonNegative(op, (nameof(m), m), (nameof(n), n), (nameof(k), k), (nameof(batch), batch));
        var pa = ArgumentChecks.Buffer(backend, op, nameof(a), a);
        var pb = ArgumentChecks.Buffer(backend, op, nameof(b), b);
        var pc = ArgumentChecks.Buffer(backend, op, nameof(c), c);
        int aRows = transA ? k : m, aCols = transA ? m : k, bRows = transB ? n : k, bCols = transB ? k : n;
        ArgumentChecks.Matrix(op, nameof(a), pa.Length, offA, aRows, aCols, lda, strideA, batch);
        ArgumentChecks.Matrix(op, nameof(b), pb.Length, offB, bRows, bCols, ldb, strideB, batch);
        ArgumentChecks.Matrix(op, nameof(c), pc.Length, offC, m, n, ldc, strideC, batch);
    }

    /// <summary>Softmax and its backward: every operand a [rows, cols] array.</summary>
    public static void Rows(IBackend backend, string op, int rows, int cols, params (string Name, DeviceBuffer Buffer, int Offset)[] operands)
    {
        ArgumentChecks.NonNegative(op, (nameof(rows), rows), (nameof(cols), cols));
        foreach (var (name, buffer, offset) in operands) ArgumentChecks.Operand(backend, op, name, buffer, offset, (long)rows * cols);
    }

    // ---- convolution ----------------------------------------------------------------------------------

    public static void Conv2d(IBackend backend, in Conv2dGeometry g, DeviceBuffer x, int xOffset, DeviceBuffer weight, int wOffset,
                              DeviceBuffer? bias, int bOffset, DeviceBuffer y, int yOffset)
    {
        const string op = "Conv2d";
        g.Validate();
        ArgumentChecks.Operand(backend, op, nameof(x), x, xOffset, InputCount(g));
        ArgumentChecks.Operand(backend, op, nameof(weight), weight, wOffset, WeightCount(g));
        if (bias != null) ArgumentChecks.Operand(backend, op, nameof(bias), bias, bOffset, g.K);
        ArgumentChecks.Operand(backend, op, nameof(y), y, yOffset, OutputCount(g));
    }

    public static void Conv2dBackwardInput(IBackend backend, in Conv2dGeometry g, DeviceBuffer gradY, int gyOffset,
                                           DeviceBuffer weight, int wOffset, DeviceBuffer gradX, int gxOffset)
    {
        const string op = "Conv2dBackwardInput";
        g.Validate();
        ArgumentChecks.Operand(backend, op, nameof(gradY), gradY, gyOffset, OutputCount(g));
        ArgumentChecks.Operand(backend, op, nameof(weight), weight, wOffset, WeightCount(g));
        ArgumentChecks.Operand(backend, op, nameof(gradX), gradX, gxOffset, InputCount(g));
    }

    public static void Conv2dBackwardWeight(IBackend backend, in Conv2dGeometry g, DeviceBuffer x, int xOffset, DeviceBuffer gradY, int gyOffset,
                                            DeviceBuffer gradW, int gwOffset, DeviceBuffer? gradBias, int gbOffset)
    {
        const string op = "Conv2dBackwardWeight";
        g.Validate();
        ArgumentChecks.Operand(backend, op, nameof(x), x, xOffset, InputCount(g));
        ArgumentChecks.Operand(backend, op, nameof(gradY), gradY, gyOffset, OutputCount(g));
        ArgumentChecks.Operand(backend, op, nameof(gradW), gradW, gwOffset, WeightCount(g));
        if (gradBias != null) ArgumentChecks.Operand(backend, op, nameof(gradBias), gradBias, gbOffset, g.K);
    }

    /// <summary>Unfold and Fold: x is [N, C, H, W], cols [N, C·KH·KW, OH·OW].</summary>
    public static void Unfold(IBackend backend, string op, in Conv2dGeometry g, DeviceBuffer x, int xOffset, DeviceBuffer cols, int colsOffset)
    {
        g.Validate();
        ArgumentChecks.Operand(backend, op, nameof(x), x, xOffset, InputCount(g));
        ArgumentChecks.Operand(backend, op, nameof(cols), cols, colsOffset, (long)g.N * g.C * g.KH * g.KW * g.OutH * g.OutW);
    }

    private static long InputCount(in Conv2dGeometry g) => (long)g.N * g.C * g.H * g.W;
    private static long OutputCount(in Conv2dGeometry g) => (long)g.N * g.K * g.OutH * g.OutW;
    private static long WeightCount(in Conv2dGeometry g) => (long)g.K * g.GroupC * g.KH * g.KW;

    // ---- pooling --------------------------------------------------------------------------------------

    /// <summary>Validates the geometry and each (name, buffer, offset, is-input) operand; returns the input and output element counts.</summary>
    public static (long Input, long Output) Pool(IBackend backend, string op, in Pool2dGeometry g,
                                                 params (string Name, DeviceBuffer Buffer, int Offset, bool IsInput)[] operands)
    {
        g.Validate();
        long planes = (long)g.N * g.C;
        return PoolOperands(backend, op, planes * g.H * g.W, planes * g.OutH * g.OutW, operands);
    }

    public static (long Input, long Output) AdaptivePool(IBackend backend, string op, int n, int c, int h, int w, int outH, int outW,
                                                         params (string Name, DeviceBuffer Buffer, int Offset, bool IsInput)[] operands)
    {
        ArgumentChecks.NonNegative(op, (nameof(n), n), (nameof(c), c), (nameof(h), h), (nameof(w), w), (nameof(outH), outH), (nameof(outW), outW));
        if (h == 0 || w == 0 || outH == 0 || outW == 0)
            throw new ArgumentException($"{op}: input {h}×{w} and output {outH}×{outW} must be non-empty.");
        long planes = (long)n * c;
        return PoolOperands(backend, op, planes * h * w, planes * outH * outW, operands);
    }

    private static (long, long) PoolOperands(IBackend backend, string op, long input, long output,
                                             (string Name, DeviceBuffer Buffer, int Offset, bool IsInput)[] operands)
    {
        foreach (var (name, buffer, offset, isInput) in operands)
            ArgumentChecks.Operand(backend, op, name, buffer, offset, isInput ? input : output);
        return (input, output);
    }

    // ---- normalisation --------------------------------------------------------------------------------

    /// <summary>Returns N·C·HW.</summary>
    public static long BatchNormForward(IBackend backend, int n, int c, int hw, DeviceBuffer x, int xOffset, DeviceBuffer? gamma, DeviceBuffer? beta,
                                        DeviceBuffer? runningMean, DeviceBuffer? runningVar, bool useBatchStats,
                                        DeviceBuffer y, int yOffset, DeviceBuffer saveMean, DeviceBuffer saveInvStd)
    {
        const string op = "BatchNormForward";
        long count = BatchNormCount(op, n, c, hw);
        ArgumentChecks.Operand(backend, op, nameof(x), x, xOffset, count);
        ArgumentChecks.Operand(backend, op, nameof(y), y, yOffset, count);
        var rm = ArgumentChecks.Channels(backend, op, nameof(runningMean), runningMean, c);
        var rv = ArgumentChecks.Channels(backend, op, nameof(runningVar), runningVar, c);
        if (!useBatchStats && (rm == null || rv == null))
            throw new ArgumentException($"{op}: normalising with running statistics needs both runningMean and runningVar.");
        ArgumentChecks.Channels(backend, op, nameof(gamma), gamma, c);
        ArgumentChecks.Channels(backend, op, nameof(beta), beta, c);
        ArgumentChecks.Channels(backend, op, nameof(saveMean), saveMean, c);
        ArgumentChecks.Channels(backend, op, nameof(saveInvStd), saveInvStd, c);
        return count;
    }

    /// <summary>Returns N·C·HW.</summary>
    public static long BatchNormBackward(IBackend backend, int n, int c, int hw, DeviceBuffer x, int xOffset, DeviceBuffer gradY, int gradYOffset,
                                         DeviceBuffer? gamma, DeviceBuffer saveMean, DeviceBuffer saveInvStd,
                                         DeviceBuffer? gradX, int gradXOffset, DeviceBuffer? gradGamma, DeviceBuffer? gradBeta)
    {
        const string op = "BatchNormBackward";
        long count = BatchNormCount(op, n, c, hw);
        ArgumentChecks.Operand(backend, op, nameof(x), x, xOffset, count);
        ArgumentChecks.Operand(backend, op, nameof(gradY), gradY, gradYOffset, count);
        if (gradX != null) ArgumentChecks.Operand(backend, op, nameof(gradX), gradX, gradXOffset, count);
        ArgumentChecks.Channels(backend, op, nameof(gamma), gamma, c);
        ArgumentChecks.Channels(backend, op, nameof(saveMean), saveMean, c);
        ArgumentChecks.Channels(backend, op, nameof(saveInvStd), saveInvStd, c);
        ArgumentChecks.Channels(backend, op, nameof(gradGamma), gradGamma, c);
        ArgumentChecks.Channels(backend, op, nameof(gradBeta), gradBeta, c);
        return count;
    }

    private static long BatchNormCount(string op, int n, int c, int hw)
    {
        ArgumentChecks.NonNegative(op, (nameof(n), n), (nameof(c), c), (nameof(hw), hw));
        return (long)n * c * hw;
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
