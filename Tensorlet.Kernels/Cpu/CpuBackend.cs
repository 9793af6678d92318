using Tensorlet.Kernels.Ops;

namespace Tensorlet.Kernels.Cpu;

/// <summary>
/// The CPU implementation of <see cref="IBackend"/>: managed float arrays from a <see cref="BufferPool"/> and the
/// vectorised, multithreaded kernels of this folder. Every entry point checks its arguments (ownership,
/// disposal, bounds, shapes) and then runs a kernel that trusts them.
/// </summary>
public sealed partial class CpuBackend : IBackend
{
    private readonly BufferPool _pool = new();

    private CpuBackend() { }

    /// <summary>The one CPU backend (one pool per process, so all CPU tensors share memory).</summary>
    public static CpuBackend Instance { get; } = new();

    public string Name => Kernels == GemmKernels.Auto ? "cpu" : $"cpu ({Kernels})";
    public long PooledBytes => _pool.PooledBytes;
    public long LiveBytes => _pool.LiveBytes;
    public void TrimPool() => _pool.Trim();

    /// <summary>CPU buffers are managed arrays, so Core may read and write them in place.</summary>
    public float[]? HostArray(DeviceBuffer buffer) => ((CpuBuffer)ArgumentChecks.Buffer(this, "HostArray", nameof(buffer), buffer)).Array;

    /// <summary>The singleton outlives any one user, so disposing only releases idle memory.</summary>
    public void Dispose() => _pool.Trim();

    public DeviceBuffer Allocate(int length)
    {
        ArgumentChecks.NonNegative("Allocate", (nameof(length), length));
        return new CpuBuffer(this, _pool, _pool.Rent(length));
    }

    public void Upload(ReadOnlySpan<float> src, DeviceBuffer dst, int dstOffset) => HostTransfer.Upload(this, src, dst, dstOffset);

    public void Download(DeviceBuffer src, int srcOffset, Span<float> dst) => HostTransfer.Download(this, src, srcOffset, dst);

    public void Fill(in StridedView dst, float value)
    {
        ArgumentChecks.View(this, "Fill", nameof(dst), dst);
        Elementwise.Fill(dst, value);
    }

    public void Copy(in StridedView src, in StridedView dst)
    {
        OperationChecks.Views(this, "Copy", (nameof(src), src), (nameof(dst), dst));
        Elementwise.Copy(src, dst);
    }

    public void Unary<TOp>(in StridedView src, in StridedView dst, float alpha = 0f, float beta = 0f) where TOp : struct, IUnaryOp<TOp>
    {
        OperationChecks.Views(this, OpName<TOp>.Value, (nameof(src), src), (nameof(dst), dst));
        Elementwise.Unary<TOp>(src, dst, alpha, beta);
    }

    public void Binary<TOp>(in StridedView a, in StridedView b, in StridedView dst, float alpha = 0f, float beta = 0f) where TOp : struct, IBinaryOp<TOp>
    {
        OperationChecks.Views(this, OpName<TOp>.Value, (nameof(a), a), (nameof(b), b), (nameof(dst), dst));
        Elementwise.Binary<TOp>(a, b, dst, alpha, beta);
    }

    public void Where(in StridedView cond, in StridedView a, in StridedView b, in StridedView dst)
    {
        OperationChecks.Views(this, "Where", (nameof(cond), cond), (nameof(a), a), (nameof(b), b), (nameof(dst), dst));
        Elementwise.Where(cond, a, b, dst);
    }

    public void Reduce(ReduceOp op, DeviceBuffer src, int srcOffset, int outer, int axis, int inner,
                       DeviceBuffer dst, int dstOffset, float scale = 1f)
    {
        OperationChecks.Reduce(this, op, src, srcOffset, outer, axis, inner, dst, dstOffset);
        Cpu.Reduce.Run(op, Array(src), srcOffset, outer, axis, inner, Array(dst), dstOffset, scale);
    }

    public void Gather(DeviceBuffer src, int srcOffset, int outer, int axis, int inner,
                       DeviceBuffer index, int indexOffset, int k, DeviceBuffer dst, int dstOffset)
    {
        OperationChecks.Gather(this, src, srcOffset, outer, axis, inner, index, indexOffset, k, dst, dstOffset);
        Indexing.Gather(Array(src), srcOffset, outer, axis, inner, Array(index), indexOffset, k, Array(dst), dstOffset);
    }

    public void ScatterAdd(DeviceBuffer src, int srcOffset, int outer, int k, int inner,
                           DeviceBuffer index, int indexOffset, int axis, DeviceBuffer dst, int dstOffset)
    {
        OperationChecks.ScatterAdd(this, src, srcOffset, outer, k, inner, index, indexOffset, axis, dst, dstOffset);
        Indexing.ScatterAdd(Array(src), srcOffset, outer, k, inner, Array(index), indexOffset, axis, Array(dst), dstOffset);
    }

    public void Gemm(bool transA, bool transB, int m, int n, int k, float alpha,
                     DeviceBuffer a, int offA, int lda, int strideA,
                     DeviceBuffer b, int offB, int ldb, int strideB,
                     float beta, DeviceBuffer c, int offC, int ldc, int strideC, int batch)
    {
        OperationChecks.Gemm(this, transA, transB, m, n, k, a, offA, lda, strideA, b, offB, ldb, strideB, c, offC, ldc, strideC, batch);
        if (m == 0 || n == 0) return;
        float[] pa = Array(a), pb = Array(b), pc = Array(c);
        for (int i = 0; i < batch; i++)
        {
            // Spans run to the end of each buffer: the checks above bound what Sgemm touches, and k = 0 needs no A or B.
            Sgemm.Run(_gemm, transA, transB, m, n, k, alpha,
                           pa.AsSpan(Math.Min(pa.Length, offA + i * strideA)), lda,
                           pb.AsSpan(Math.Min(pb.Length, offB + i * strideB)), ldb,
                           beta, pc.AsSpan(offC + i * strideC), ldc);
        }
    }

    public void Softmax(bool log, DeviceBuffer src, int srcOffset, int rows, int cols, DeviceBuffer dst, int dstOffset)
    {
        OperationChecks.Rows(this, log ? "LogSoftmax" : "Softmax", rows, cols, (nameof(src), src, srcOffset), (nameof(dst), dst, dstOffset));
        Cpu.Softmax.Forward(log, Array(src), srcOffset, rows, cols, Array(dst), dstOffset);
    }

    public void SoftmaxBackward(bool log, DeviceBuffer y, int yOffset, DeviceBuffer grad, int gradOffset,
                                int rows, int cols, DeviceBuffer dst, int dstOffset)
    {
        OperationChecks.Rows(this, log ? "LogSoftmaxBackward" : "SoftmaxBackward", rows, cols,
                             (nameof(y), y, yOffset), (nameof(grad), grad, gradOffset), (nameof(dst), dst, dstOffset));
        Cpu.Softmax.Backward(log, Array(y), yOffset, Array(grad), gradOffset, rows, cols, Array(dst), dstOffset);
    }

    // Only after a check: the buffer is known to be one of ours and live.
    internal static float[] Array(DeviceBuffer buffer) => ((CpuBuffer)buffer).Array;
    private static float[]? ArrayOrNull(DeviceBuffer? buffer) => buffer == null ? null : ((CpuBuffer)buffer).Array;
}
