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

    // Axis operations read their views element by element (row-major) into the plain loops' dense arrays and store
    // the results back the same way, so every layout is exact here without any planning.
    public void Reduce(ReduceOp op, in StridedView src, int axis, in StridedView dst, float scale = 1f)
    {
        OperationChecks.Reduce(this, op, src, axis, dst);
        var (outer, length, inner) = AxisLayout.Split(src.Shape, axis);
        Store(Reference.Reduce.Run(op, Dense(src), outer, length, inner, scale), dst);
    }

    public void Gather(in StridedView src, in StridedView index, int axis, in StridedView dst)
    {
        OperationChecks.Gather(this, src, index, axis, dst);
        var (outer, length, inner) = AxisLayout.Split(src.Shape, axis);
        var indices = Indices("Gather", index, length);
        Store(Indexing.Gather(Dense(src), outer, length, inner, indices, index.Shape[axis]), dst);
    }

    public void ScatterAdd(in StridedView src, in StridedView index, int axis, in StridedView dst)
    {
        OperationChecks.ScatterAdd(this, src, index, axis, dst);
        var (outer, k, inner) = AxisLayout.Split(src.Shape, axis);
        var indices = Indices("ScatterAdd", index, dst.Shape[axis]);
        var sums = Dense(dst);
        Indexing.ScatterAdd(Dense(src), outer, k, inner, indices, dst.Shape[axis], sums);
        Store(sums, dst);
    }

    public void Gemm(float alpha, in StridedView a, in StridedView b, float beta, in StridedView c)
    {
        var (batch, _, _, _) = OperationChecks.Gemm(this, a, b, c);
        Reference.Gemm.Product(alpha, Host(a), Host(b), beta, Host(c), batch);
    }

    public void Softmax(bool log, in StridedView src, in StridedView dst)
    {
        OperationChecks.Softmax(this, log ? "LogSoftmax" : "Softmax", (nameof(src), src), (nameof(dst), dst));
        int cols = dst.Shape[^1], rows = cols == 0 ? 0 : dst.Count / cols;
        Store(Reference.Softmax.Forward(log, Dense(src), rows, cols), dst);
    }

    public void SoftmaxBackward(bool log, in StridedView y, in StridedView grad, in StridedView dst)
    {
        OperationChecks.Softmax(this, log ? "LogSoftmaxBackward" : "SoftmaxBackward", (nameof(y), y), (nameof(grad), grad), (nameof(dst), dst));
        int cols = dst.Shape[^1], rows = cols == 0 ? 0 : dst.Count / cols;
        Store(Reference.Softmax.Backward(log, Dense(y), Dense(grad), rows, cols), dst);
    }

    // Indices are data: each one is checked here, before anything is written, with the message every backend uses.
    private static float[] Indices(string op, in StridedView index, int axis)
    {
        var values = Dense(index);
        for (int p = 0; p < values.Length; p++)
            if (!OperationChecks.IsValidIndex(values[p], axis)) throw OperationChecks.BadIndex(op, values[p], p, axis);
        return values;
    }

    // Only after a check: the buffer is known to be one of ours, live, and to hold the range.
    private static float[] Data(DeviceBuffer buffer) => ((ReferenceBuffer)buffer).Data;

    // A view's elements in row-major order, and back: the reference's loops index dense arrays.
    private static float[] Dense(in StridedView view)
    {
        var values = new float[view.Count];
        Elementwise.Copy(Host(view), HostView.Contiguous(values, view.Shape));
        return values;
    }

    private static void Store(float[] values, in StridedView view) => Elementwise.Copy(HostView.Contiguous(values, view.Shape), Host(view));
}
