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

    public void Reduce(ReduceOp op, in StridedView src, int axis, in StridedView dst, float scale = 1f)
    {
        OperationChecks.Reduce(this, op, src, axis, dst);
        if (dst.Count == 0) return;
        using var r = ReduceOperands.Open(this, src, axis, dst, denseInner: true);
        Cpu.Reduce.Run(op, Array(r.SrcBuffer), r.Src, r.Outer, r.Axis, r.Inner, Array(r.DstBuffer), r.Dst, scale);
        r.Complete();
    }

    public void Gather(in StridedView src, in StridedView index, int axis, in StridedView dst) =>
        IndexOperands.Run(this, src, index, axis, dst, accumulates: false, (in IndexOperands x, int srcLength, int dstLength) =>
            Indexing.Gather(Array(x.SrcView.Buffer), x.Src, srcLength, Array(x.IndexView.Buffer), x.Index, dstLength,
                            x.Outer, x.Inner, Array(x.DstView.Buffer), x.Dst));

    public void ScatterAdd(in StridedView src, in StridedView index, int axis, in StridedView dst) =>
        IndexOperands.Run(this, src, index, axis, dst, accumulates: true, (in IndexOperands x, int srcLength, int dstLength) =>
            Indexing.ScatterAdd(Array(x.SrcView.Buffer), x.Src, srcLength, Array(x.IndexView.Buffer), x.Index, dstLength,
                                x.Outer, x.Inner, Array(x.DstView.Buffer), x.Dst));

    public void Gemm(float alpha, in StridedView a, in StridedView b, float beta, in StridedView c)
    {
        var sizes = OperationChecks.Gemm(this, a, b, c);
        if (sizes.M == 0 || sizes.N == 0 || sizes.Batch == 0) return;
        using var plan = GemmPlan.Open(this, a, b, beta, c, sizes);
        var (ga, gb, gc) = (plan.A, plan.B, plan.C);
        float[] pa = Array(ga.Buffer), pb = Array(gb.Buffer), pc = Array(gc.Buffer);
        for (int i = 0; i < plan.Batch; i++)
        {
            // Spans run to the end of each buffer: the checks above bound what Sgemm touches, and k = 0 needs no A or B.
            Sgemm.Run(_gemm, ga.Trans, gb.Trans, plan.M, plan.N, plan.K, alpha,
                      pa.AsSpan(Math.Min(pa.Length, ga.Offset + i * ga.BatchStride)), ga.Ld,
                      pb.AsSpan(Math.Min(pb.Length, gb.Offset + i * gb.BatchStride)), gb.Ld,
                      beta, pc.AsSpan(gc.Offset + i * gc.BatchStride), gc.Ld);
        }
        plan.Complete();
    }

    public void Softmax(bool log, in StridedView src, in StridedView dst)
    {
        OperationChecks.Softmax(this, log ? "LogSoftmax" : "Softmax", (nameof(src), src), (nameof(dst), dst));
        int cols = dst.Shape[^1], rows = cols == 0 ? 0 : dst.Count / cols;
        if (src.IsContiguous && dst.IsContiguous) Cpu.Softmax.Forward(log, Array(src.Buffer), src.Offset, rows, cols, Array(dst.Buffer), dst.Offset);
        else Cpu.Softmax.Forward(log, new StridedRows(Array(src.Buffer), src), new StridedRows(Array(dst.Buffer), dst));
    }

    public void SoftmaxBackward(bool log, in StridedView y, in StridedView grad, in StridedView dst)
    {
        OperationChecks.Softmax(this, log ? "LogSoftmaxBackward" : "SoftmaxBackward", (nameof(y), y), (nameof(grad), grad), (nameof(dst), dst));
        int cols = dst.Shape[^1], rows = cols == 0 ? 0 : dst.Count / cols;
        if (y.IsContiguous && grad.IsContiguous && dst.IsContiguous)
            Cpu.Softmax.Backward(log, Array(y.Buffer), y.Offset, Array(grad.Buffer), grad.Offset, rows, cols, Array(dst.Buffer), dst.Offset);
        else
            Cpu.Softmax.Backward(log, new StridedRows(Array(y.Buffer), y), new StridedRows(Array(grad.Buffer), grad),
                                 new StridedRows(Array(dst.Buffer), dst));
    }

    // Only after a check: the buffer is known to be one of ours and live.
    internal static float[] Array(DeviceBuffer buffer) => ((CpuBuffer)buffer).Array;
    private static float[]? ArrayOrNull(DeviceBuffer? buffer) => buffer == null ? null : ((CpuBuffer)buffer).Array;
}
