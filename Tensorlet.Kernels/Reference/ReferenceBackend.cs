namespace Tensorlet.Kernels.Reference;

/// <summary>
/// The oracle as a whole <see cref="IBackend"/>: every operation is the plainest loop of its definition in this folder,
/// accumulating in double, over host arrays (<see cref="ReferenceBuffer"/>). Arguments go through the same
/// <see cref="OperationChecks"/> as every other backend, so the conformance suite can run CPU, GPU and reference over
/// the same calls and compare results and refusals. Slow by design; for checking, not for training.
/// </summary>
public sealed partial class ReferenceBackend : IBackend
{
    private long _liveBytes;

    private ReferenceBackend() { }

    /// <summary>The one reference backend.</summary>
    public static ReferenceBackend Instance { get; } = new();

    public string Name => "reference";

    /// <summary>Nothing is pooled: memory held is memory in use.</summary>
    public long PooledBytes => LiveBytes;

    public long LiveBytes => Interlocked.Read(ref _liveBytes);

    public void TrimPool() { }

    /// <summary>The singleton outlives any one user; there is nothing to release.</summary>
    public void Dispose() { }

    public DeviceBuffer Allocate(int length)
    {
        ArgumentChecks.NonNegative("Allocate", (nameof(length), length));
        Interlocked.Add(ref _liveBytes, (long)length * sizeof(float));
        return new ReferenceBuffer(this, length, released => Interlocked.Add(ref _liveBytes, -(long)released * sizeof(float)));
    }

    /// <summary>Reference buffers are host arrays, readable and writable in place.</summary>
    public float[]? HostArray(DeviceBuffer buffer) => Data(ArgumentChecks.Buffer(this, "HostArray", nameof(buffer), buffer));

    public void Upload(ReadOnlySpan<float> src, DeviceBuffer dst, int dstOffset) => HostTransfer.Upload(this, src, dst, dstOffset);

    public void Download(DeviceBuffer src, int srcOffset, Span<float> dst) => HostTransfer.Download(this, src, srcOffset, dst);

    public void Reduce(ReduceOp op, DeviceBuffer src, int srcOffset, int outer, int axis, int inner,
                       DeviceBuffer dst, int dstOffset, float scale = 1f)
    {
        OperationChecks.Reduce(this, op, src, srcOffset, outer, axis, inner, dst, dstOffset);
        Store(Reference.Reduce.Run(op, Read(src, srcOffset, (long)outer * axis * inner), outer, axis, inner, scale), dst, dstOffset);
    }

    public void Gather(DeviceBuffer src, int srcOffset, int outer, int axis, int inner,
                       DeviceBuffer index, int indexOffset, int k, DeviceBuffer dst, int dstOffset)
    {
        OperationChecks.Gather(this, src, srcOffset, outer, axis, inner, index, indexOffset, k, dst, dstOffset);
        var indices = Indices("Gather", index, indexOffset, (long)outer * k * inner, axis);
        Store(Indexing.Gather(Read(src, srcOffset, (long)outer * axis * inner), outer, axis, inner, indices, k), dst, dstOffset);
    }

    public void ScatterAdd(DeviceBuffer src, int srcOffset, int outer, int k, int inner,
                           DeviceBuffer index, int indexOffset, int axis, DeviceBuffer dst, int dstOffset)
    {
        OperationChecks.ScatterAdd(this, src, srcOffset, outer, k, inner, index, indexOffset, axis, dst, dstOffset);
        var indices = Indices("ScatterAdd", index, indexOffset, (long)outer * k * inner, axis);
        var sums = Read(dst, dstOffset, (long)outer * axis * inner);
        Indexing.ScatterAdd(Read(src, srcOffset, (long)outer * k * inner), outer, k, inner, indices, axis, sums);
        Store(sums, dst, dstOffset);
    }

    public void Gemm(bool transA, bool transB, int m, int n, int k, float alpha,
                     DeviceBuffer a, int offA, int lda, int strideA,
                     DeviceBuffer b, int offB, int ldb, int strideB,
                     float beta, DeviceBuffer c, int offC, int ldc, int strideC, int batch)
    {
        OperationChecks.Gemm(this, transA, transB, m, n, k, a, offA, lda, strideA, b, offB, ldb, strideB, c, offC, ldc, strideC, batch);
        if (m == 0 || n == 0) return;
        float[] pa = Data(a), pb = Data(b), pc = Data(c);
        for (int i = 0; i < batch; i++)
        {
            // Spans run to the end of each buffer: the check bounds what the loops touch, and k = 0 touches no A or B.
            Reference.Gemm.Run(transA, transB, m, n, k, alpha,
                               pa.AsSpan(Math.Min(pa.Length, offA + i * strideA)), lda,
                               pb.AsSpan(Math.Min(pb.Length, offB + i * strideB)), ldb,
                               beta, pc.AsSpan(offC + i * strideC), ldc);
        }
    }

    public void Softmax(bool log, DeviceBuffer src, int srcOffset, int rows, int cols, DeviceBuffer dst, int dstOffset)
    {
        OperationChecks.Rows(this, log ? "LogSoftmax" : "Softmax", rows, cols, (nameof(src), src, srcOffset), (nameof(dst), dst, dstOffset));
        Store(Reference.Softmax.Forward(log, Read(src, srcOffset, (long)rows * cols), rows, cols), dst, dstOffset);
    }

    public void SoftmaxBackward(bool log, DeviceBuffer y, int yOffset, DeviceBuffer grad, int gradOffset,
                                int rows, int cols, DeviceBuffer dst, int dstOffset)
    {
        OperationChecks.Rows(this, log ? "LogSoftmaxBackward" : "SoftmaxBackward", rows, cols,
                             (nameof(y), y, yOffset), (nameof(grad), grad, gradOffset), (nameof(dst), dst, dstOffset));
        long count = (long)rows * cols;
        Store(Reference.Softmax.Backward(log, Read(y, yOffset, count), Read(grad, gradOffset, count), rows, cols), dst, dstOffset);
    }

    // Indices are data: each one is checked here, before anything is written, with the message every backend uses.
    private static float[] Indices(string op, DeviceBuffer index, int offset, long count, int axis)
    {
        var values = Read(index, offset, count);
        for (int p = 0; p < values.Length; p++)
            if (!OperationChecks.IsValidIndex(values[p], axis)) throw OperationChecks.BadIndex(op, values[p], p, axis);
        return values;
    }

    // Only after a check: the buffer is known to be one of ours, live, and to hold the range.
    private static float[] Data(DeviceBuffer buffer) => ((ReferenceBuffer)buffer).Data;

    private static float[] Read(DeviceBuffer buffer, int offset, long count) => Data(buffer).AsSpan(offset, (int)count).ToArray();

    private static void Store(float[] values, DeviceBuffer buffer, int offset) => values.CopyTo(Data(buffer), offset);
}
