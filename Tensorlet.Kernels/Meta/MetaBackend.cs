using Tensorlet.Kernels.Ops;

namespace Tensorlet.Kernels.Meta;

/// <summary>
/// The backend of the <c>meta</c> device, like PyTorch's: tensors have a shape but no storage, and every kernel does
/// nothing. Core's shape logic and a module's forward run unchanged on it (their argument checks included), so the
/// parameters, output shapes and FLOPs of a full-size model come from shapes alone, in milliseconds and without memory.
/// </summary>
public sealed class MetaBackend : IBackend
{
    private MetaBackend()
    {
    }

    /// <summary>The one meta backend (it holds no state).</summary>
    public static MetaBackend Instance { get; } = new();

    public string Name => "meta";

    /// <summary>An empty buffer, whatever the length asked for: meta tensors never touch memory.</summary>
    public DeviceBuffer Allocate(int length) => new MetaBuffer(this);

    public long PooledBytes => 0;
    public long LiveBytes => 0;

    public void TrimPool() { }

    /// <summary>Moving data to the meta device keeps only its shape, as <c>tensor.to("meta")</c> does.</summary>
    public void Upload(ReadOnlySpan<float> src, DeviceBuffer dst, int dstOffset) { }

    /// <summary>Always fails: there is no data to read.</summary>
    public void Download(DeviceBuffer src, int srcOffset, Span<float> dst) =>
        throw new InvalidOperationException(
            "A meta tensor has a shape but no data: it cannot be read (create it on a real device, e.g. Device.Cpu).");

    // Every kernel: nothing to compute.
    public void Fill(in StridedView dst, float value) { }
    public void Copy(in StridedView src, in StridedView dst) { }
    public void Unary<TOp>(in StridedView src, in StridedView dst, float alpha, float beta) where TOp : struct, IUnaryOp<TOp> { }
    public void Binary<TOp>(in StridedView a, in StridedView b, in StridedView dst, float alpha, float beta) where TOp : struct, IBinaryOp<TOp> { }
    public void Where(in StridedView cond, in StridedView a, in StridedView b, in StridedView dst) { }
    public void Reduce(ReduceOp op, in StridedView src, int axis, in StridedView dst, float scale) { }
    public void Gather(in StridedView src, in StridedView index, int axis, in StridedView dst) { }
    public void ScatterAdd(in StridedView src, in StridedView index, int axis, in StridedView dst) { }
    // Operations that see views still check their shapes; there is no memory to check them against.
    public void Gemm(float alpha, in StridedView a, in StridedView b, float beta, in StridedView c) => OperationChecks.GemmShapes(a, b, c);
    public void Softmax(bool log, in StridedView src, in StridedView dst) =>
        OperationChecks.SoftmaxShapes(log ? "LogSoftmax" : "Softmax", (nameof(src), src), (nameof(dst), dst));
    public void SoftmaxBackward(bool log, in StridedView y, in StridedView grad, in StridedView dst) =>
        OperationChecks.SoftmaxShapes(log ? "LogSoftmaxBackward" : "SoftmaxBackward", (nameof(y), y), (nameof(grad), grad), (nameof(dst), dst));
    public void CrossEntropy(float labelSmoothing, in StridedView logits, in StridedView target, in StridedView loss, in StridedView logSum) =>
        OperationChecks.CrossEntropy(null, labelSmoothing, logits, target, loss, logSum);
    public void CrossEntropyBackward(float labelSmoothing, in StridedView logits, in StridedView target, in StridedView logSum,
        in StridedView grad, float beta, in StridedView dst) =>
        OperationChecks.CrossEntropyBackward(null, labelSmoothing, logits, target, logSum, grad, beta, dst);
    // Convolution, pooling and batch norm check their views' shapes (there is no memory to check them against).
    public void Conv2d(in Conv2dGeometry g, in StridedView x, in StridedView weight, in StridedView? bias, in StridedView y) =>
        OperationChecks.Conv2d(null, g, x, weight, bias, y);
    public void Conv2dBackwardInput(in Conv2dGeometry g, in StridedView gradY, in StridedView weight, in StridedView gradX) =>
        OperationChecks.Conv2dBackwardInput(null, g, gradY, weight, gradX);
    public void Conv2dBackwardWeight(in Conv2dGeometry g, in StridedView x, in StridedView gradY, in StridedView gradW,
        in StridedView? gradBias) => OperationChecks.Conv2dBackwardWeight(null, g, x, gradY, gradW, gradBias);
    public void Unfold(in Conv2dGeometry g, in StridedView x, in StridedView cols) => OperationChecks.Unfold(null, "Unfold", g, x, cols);
    public void Fold(in Conv2dGeometry g, in StridedView cols, in StridedView x) => OperationChecks.Unfold(null, "Fold", g, x, cols);
    public void MaxPool2d(in Pool2dGeometry g, in StridedView x, in StridedView y, in StridedView indices) =>
        OperationChecks.MaxPool2d(null, g, x, y, indices);
    public void MaxPool2dBackward(in Pool2dGeometry g, in StridedView gradY, in StridedView indices, in StridedView gradX) =>
        OperationChecks.MaxPool2dBackward(null, g, gradY, indices, gradX);
    public void AvgPool2d(in Pool2dGeometry g, in StridedView x, in StridedView y) => OperationChecks.AvgPool2d(null, g, x, y);
    public void AvgPool2dBackward(in Pool2dGeometry g, in StridedView gradY, in StridedView gradX) =>
        OperationChecks.AvgPool2dBackward(null, g, gradY, gradX);
    public void AdaptiveAvgPool2d(in StridedView x, in StridedView y) => OperationChecks.AdaptiveAvgPool2d(null, x, y);
    public void AdaptiveAvgPool2dBackward(in StridedView gradY, in StridedView gradX) => OperationChecks.AdaptiveAvgPool2dBackward(null, gradY, gradX);
    public void BatchNormForward(BatchNormArgs args, in StridedView y) => OperationChecks.BatchNormForward(null, args, y);
    public void BatchNormBackward(BatchNormArgs args, in StridedView gradY, BatchNormGrads grads) =>
        OperationChecks.BatchNormBackward(null, args, gradY, grads);
    public void DropoutMask(in StridedView mask, float p, ulong seed, ulong counterBase) { }

    public void Dispose() { }

    private sealed class MetaBuffer(IBackend backend) : DeviceBuffer(backend, 0)
    {
        protected override void Release() { }
    }
}
