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

    public string Name => "cpu";
    public long PooledBytes => _pool.PooledBytes;
    public long LiveBytes => _pool.LiveBytes;
    public void TrimPool() => _pool.Trim();

    /// <summary>The singleton outlives any one user, so disposing only releases idle memory.</summary>
    public void Dispose() => _pool.Trim();

    public DeviceBuffer Allocate(int length)
    {
        ArgumentChecks.NonNegative("Allocate", (nameof(length), length));
        return new CpuBuffer(this, _pool, _pool.Rent(length));
    }

    public void Upload(ReadOnlySpan<float> src, DeviceBuffer dst, int dstOffset)
    {
        var d = ArgumentChecks.Buffer(this, "Upload", nameof(dst), dst);
        ArgumentChecks.Range("Upload", nameof(dst), d.Length, dstOffset, src.Length);
        src.CopyTo(d.AsSpan(dstOffset));
    }

    public void Download(DeviceBuffer src, int srcOffset, Span<float> dst)
    {
        var s = ArgumentChecks.Buffer(this, "Download", nameof(src), src);
        ArgumentChecks.Range("Download", nameof(src), s.Length, srcOffset, dst.Length);
        s.AsSpan(srcOffset, dst.Length).CopyTo(dst);
    }

    public void Fill(in StridedView dst, float value)
    {
        ArgumentChecks.View(this, "Fill", nameof(dst), dst);
        Elementwise.Fill(dst, value);
    }

    public void Copy(in StridedView src, in StridedView dst)
    {
        CheckViews("Copy", (nameof(src), src), (nameof(dst), dst));
        Elementwise.Copy(src, dst);
    }

    public void Unary(UnaryOp op, in StridedView src, in StridedView dst, float alpha = 0f, float beta = 0f)
    {
        CheckViews(OpNames.Of(op), (nameof(src), src), (nameof(dst), dst));
        Elementwise.Unary(op, src, dst, alpha, beta);
    }

    public void Binary(BinaryOp op, in StridedView a, in StridedView b, in StridedView dst, float alpha = 0f, float beta = 0f)
    {
        CheckViews(OpNames.Of(op), (nameof(a), a), (nameof(b), b), (nameof(dst), dst));
        Elementwise.Binary(op, a, b, dst, alpha, beta);
    }

    public void Where(in StridedView cond, in StridedView a, in StridedView b, in StridedView dst)
    {
        CheckViews("Where", (nameof(cond), cond), (nameof(a), a), (nameof(b), b), (nameof(dst), dst));
        Elementwise.Where(cond, a, b, dst);
    }

    public void Reduce(ReduceOp op, DeviceBuffer src, int srcOffset, int outer, int axis, int inner,
                       DeviceBuffer dst, int dstOffset, float scale = 1f)
    {
        string name = OpNames.Of(op);
        ArgumentChecks.NonNegative(name, (nameof(outer), outer), (nameof(axis), axis), (nameof(inner), inner));
        var s = ArgumentChecks.Buffer(this, name, nameof(src), src);
        var d = ArgumentChecks.Buffer(this, name, nameof(dst), dst);
        ArgumentChecks.Range(name, nameof(src), s.Length, srcOffset, (long)outer * axis * inner);
        ArgumentChecks.Range(name, nameof(dst), d.Length, dstOffset, (long)outer * inner);
        Cpu.Reduce.Run(op, s, srcOffset, outer, axis, inner, d, dstOffset, scale);
    }

    public void Gather(DeviceBuffer src, int srcOffset, int outer, int axis, int inner,
                       DeviceBuffer index, int indexOffset, int k, DeviceBuffer dst, int dstOffset)
    {
        ArgumentChecks.NonNegative("Gather", (nameof(outer), outer), (nameof(axis), axis), (nameof(inner), inner), (nameof(k), k));
        var s = ArgumentChecks.Buffer(this, "Gather", nameof(src), src);
        var ix = ArgumentChecks.Buffer(this, "Gather", nameof(index), index);
        var d = ArgumentChecks.Buffer(this, "Gather", nameof(dst), dst);
        ArgumentChecks.Range("Gather", nameof(src), s.Length, srcOffset, (long)outer * axis * inner);
        ArgumentChecks.Range("Gather", nameof(index), ix.Length, indexOffset, (long)outer * k * inner);
        ArgumentChecks.Range("Gather", nameof(dst), d.Length, dstOffset, (long)outer * k * inner);
        Indexing.Gather(s, srcOffset, outer, axis, inner, ix, indexOffset, k, d, dstOffset);
    }

    public void ScatterAdd(DeviceBuffer src, int srcOffset, int outer, int k, int inner,
                           DeviceBuffer index, int indexOffset, int axis, DeviceBuffer dst, int dstOffset)
    {
        ArgumentChecks.NonNegative("ScatterAdd", (nameof(outer), outer), (nameof(k), k), (nameof(inner), inner), (nameof(axis), axis));
        var s = ArgumentChecks.Buffer(this, "ScatterAdd", nameof(src), src);
        var ix = ArgumentChecks.Buffer(this, "ScatterAdd", nameof(index), index);
        var d = ArgumentChecks.Buffer(this, "ScatterAdd", nameof(dst), dst);
        ArgumentChecks.Range("ScatterAdd", nameof(src), s.Length, srcOffset, (long)outer * k * inner);
        ArgumentChecks.Range("ScatterAdd", nameof(index), ix.Length, indexOffset, (long)outer * k * inner);
        ArgumentChecks.Range("ScatterAdd", nameof(dst), d.Length, dstOffset, (long)outer * axis * inner);
        Indexing.ScatterAdd(s, srcOffset, outer, k, inner, ix, indexOffset, axis, d, dstOffset);
    }

    public void Gemm(bool transA, bool transB, int m, int n, int k, float alpha,
                     DeviceBuffer a, int offA, int lda, int strideA,
                     DeviceBuffer b, int offB, int ldb, int strideB,
                     float beta, DeviceBuffer c, int offC, int ldc, int strideC, int batch)
    {
        ArgumentChecks.NonNegative("Gemm", (nameof(m), m), (nameof(n), n), (nameof(k), k), (nameof(batch), batch));
        var pa = ArgumentChecks.Buffer(this, "Gemm", nameof(a), a);
        var pb = ArgumentChecks.Buffer(this, "Gemm", nameof(b), b);
        var pc = ArgumentChecks.Buffer(this, "Gemm", nameof(c), c);
        int aRows = transA ? k : m, aCols = transA ? m : k, bRows = transB ? n : k, bCols = transB ? k : n;
        ArgumentChecks.Matrix("Gemm", nameof(a), pa.Length, offA, aRows, aCols, lda, strideA, batch);
        ArgumentChecks.Matrix("Gemm", nameof(b), pb.Length, offB, bRows, bCols, ldb, strideB, batch);
        ArgumentChecks.Matrix("Gemm", nameof(c), pc.Length, offC, m, n, ldc, strideC, batch);
        if (m == 0 || n == 0) return;
        for (int i = 0; i < batch; i++)
        {
            // Spans run to the end of each buffer: the checks above bound what Sgemm touches, and k = 0 needs no A or B.
            Sgemm.Multiply(transA, transB, m, n, k, alpha,
                           pa.AsSpan(Math.Min(pa.Length, offA + i * strideA)), lda,
                           pb.AsSpan(Math.Min(pb.Length, offB + i * strideB)), ldb,
                           beta, pc.AsSpan(offC + i * strideC), ldc);
        }
    }

    public void Softmax(bool log, DeviceBuffer src, int srcOffset, int rows, int cols, DeviceBuffer dst, int dstOffset)
    {
        string name = log ? "LogSoftmax" : "Softmax";
        ArgumentChecks.NonNegative(name, (nameof(rows), rows), (nameof(cols), cols));
        var s = ArgumentChecks.Buffer(this, name, nameof(src), src);
        var d = ArgumentChecks.Buffer(this, name, nameof(dst), dst);
        ArgumentChecks.Range(name, nameof(src), s.Length, srcOffset, (long)rows * cols);
        ArgumentChecks.Range(name, nameof(dst), d.Length, dstOffset, (long)rows * cols);
        Cpu.Softmax.Forward(log, s, srcOffset, rows, cols, d, dstOffset);
    }

    public void SoftmaxBackward(bool log, DeviceBuffer y, int yOffset, DeviceBuffer grad, int gradOffset,
                                int rows, int cols, DeviceBuffer dst, int dstOffset)
    {
        string name = log ? "LogSoftmaxBackward" : "SoftmaxBackward";
        ArgumentChecks.NonNegative(name, (nameof(rows), rows), (nameof(cols), cols));
        var py = ArgumentChecks.Buffer(this, name, nameof(y), y);
        var g = ArgumentChecks.Buffer(this, name, nameof(grad), grad);
        var d = ArgumentChecks.Buffer(this, name, nameof(dst), dst);
        ArgumentChecks.Range(name, nameof(y), py.Length, yOffset, (long)rows * cols);
        ArgumentChecks.Range(name, nameof(grad), g.Length, gradOffset, (long)rows * cols);
        ArgumentChecks.Range(name, nameof(dst), d.Length, dstOffset, (long)rows * cols);
        Cpu.Softmax.Backward(log, py, yOffset, g, gradOffset, rows, cols, d, dstOffset);
    }

    // Every view in bounds and every shape equal to the destination's (the last one).
    private void CheckViews(string op, params (string Name, StridedView View)[] views)
    {
        foreach (var (name, view) in views) ArgumentChecks.View(this, op, name, view);
        var (dstName, dst) = views[^1];
        for (int i = 0; i < views.Length - 1; i++) ArgumentChecks.SameShape(op, views[i].Name, views[i].View, dstName, dst);
    }
}
