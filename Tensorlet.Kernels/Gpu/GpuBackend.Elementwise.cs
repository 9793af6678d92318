using ILGPU;
using ILGPU.Runtime;
using Tensorlet.Kernels.Ops;

namespace Tensorlet.Kernels.Gpu;

// Element-wise, reduction, indexing and softmax entry points: the shared argument checks, then a kernel of this folder.
// Each kernel family is compiled on first use and kept for the life of the backend.
public sealed partial class GpuBackend
{
    private ElementwiseKernels? _elementwise;
    private ReductionKernels? _reductions;
    private IndexingKernels? _indexing;
    private SoftmaxKernels? _softmax;
    private MemoryBuffer1D<int, Stride1D.Dense>? _indexError;
    private bool _indexCheckPending;

    private ElementwiseKernels Elementwise => _elementwise ??= new ElementwiseKernels(Accelerator);
    private ReductionKernels Reductions => _reductions ??= new ReductionKernels(Accelerator);
    private IndexingKernels Indexing => _indexing ??= new IndexingKernels(Accelerator);
    private SoftmaxKernels SoftmaxRows => _softmax ??= new SoftmaxKernels(Accelerator);

    public void Fill(in StridedView dst, float value)
    {
        ArgumentChecks.View(this, "Fill", nameof(dst), dst);
        Elementwise.Fill(this, dst, value);
    }

    public void Copy(in StridedView src, in StridedView dst)
    {
        OperationChecks.Views(this, "Copy", (nameof(src), src), (nameof(dst), dst));
        Elementwise.Unary<Identity>(this, "Copy", src, dst, 0f, 0f);
    }

    public void Unary<TOp>(in StridedView src, in StridedView dst, float alpha = 0f, float beta = 0f) where TOp : struct, IUnaryOp<TOp>
    {
        string name = OpName<TOp>.Value;
        OperationChecks.Views(this, name, (nameof(src), src), (nameof(dst), dst));
        Elementwise.Unary<TOp>(this, name, src, dst, alpha, beta);
    }

    public void Binary<TOp>(in StridedView a, in StridedView b, in StridedView dst, float alpha = 0f, float beta = 0f) where TOp : struct, IBinaryOp<TOp>
    {
        string name = OpName<TOp>.Value;
        OperationChecks.Views(this, name, (nameof(a), a), (nameof(b), b), (nameof(dst), dst));
        Elementwise.Binary<TOp>(this, name, a, b, dst, alpha, beta);
    }

    public void Where(in StridedView cond, in StridedView a, in StridedView b, in StridedView dst)
    {
        OperationChecks.Views(this, "Where", (nameof(cond), cond), (nameof(a), a), (nameof(b), b), (nameof(dst), dst));
        Elementwise.Where(this, cond, a, b, dst);
    }

    public void Reduce(ReduceOp op, in StridedView src, int axis, in StridedView dst, float scale = 1f)
    {
        OperationChecks.Reduce(this, op, src, axis, dst);
        if (dst.Count == 0) return;
        using var r = ReduceOperands.Open(this, src, axis, dst, denseInner: false);
        Reductions.Run(this, op, r.SrcBuffer, r.Src, r.Outer, r.Axis, r.Inner, r.DstBuffer, r.Dst, scale);
        r.Complete();
    }

    public void Gather(in StridedView src, in StridedView index, int axis, in StridedView dst) =>
        IndexOperands.Run(this, src, index, axis, dst, accumulates: false,
                          (in IndexOperands x, int srcLength, int dstLength) => Indexing.Gather(this, x, srcLength, dstLength));

    public void ScatterAdd(in StridedView src, in StridedView index, int axis, in StridedView dst) =>
        IndexOperands.Run(this, src, index, axis, dst, accumulates: true,
                          (in IndexOperands x, int srcLength, int dstLength) => Indexing.ScatterAdd(this, x, srcLength, dstLength));

    // The softmax kernels walk dense rows, so strided views go through DenseOperand.
    public void Softmax(bool log, in StridedView src, in StridedView dst)
    {
        OperationChecks.Softmax(this, log ? "LogSoftmax" : "Softmax", (nameof(src), src), (nameof(dst), dst));
        int cols = dst.Shape[^1], rows = cols == 0 ? 0 : dst.Count / cols;
        using var x = DenseOperand.Read(this, src);
        using var y = DenseOperand.Write(this, dst);
        SoftmaxRows.Forward(this, log, x.Buffer, x.Offset, rows, cols, y.Buffer, y.Offset);
        y.Complete();
    }

    public void SoftmaxBackward(bool log, in StridedView y, in StridedView grad, in StridedView dst)
    {
        OperationChecks.Softmax(this, log ? "LogSoftmaxBackward" : "SoftmaxBackward", (nameof(y), y), (nameof(grad), grad), (nameof(dst), dst));
        int cols = dst.Shape[^1], rows = cols == 0 ? 0 : dst.Count / cols;
        using var yd = DenseOperand.Read(this, y);
        using var g = DenseOperand.Read(this, grad);
        using var dx = DenseOperand.Write(this, dst);
        SoftmaxRows.Backward(this, log, yd.Buffer, yd.Offset, g.Buffer, g.Offset, rows, cols, dx.Buffer, dx.Offset);
        dx.Complete();
    }

    /// <summary>
    /// The device flag that indexing, max-pool backward and cross-entropy kernels set on a bad index (cleared when allocated and after
    /// each report); <see cref="Synchronize"/> turns it into an exception.
    /// </summary>
    internal ArrayView<int> IndexErrorFlag()
    {
        if (_indexError == null)
        {
            _indexError = Accelerator.Allocate1D<int>(4);
            _indexError.MemSetToZero(Stream);
        }
        _indexCheckPending = true;
        return _indexError.View;
    }

    // Called after the stream is synchronised; reads the 16-byte flag only when a checking kernel ran since the last check.
    private void CheckIndexErrors()
    {
        if (!_indexCheckPending || _indexError == null) return;
        _indexCheckPending = false;
        var flag = _indexError.GetAsArray1D(Stream);
        if (flag[0] == 0) return;
        _indexError.MemSetToZero(Stream);
        Stream.Synchronize();
        float value = BitConverter.Int32BitsToSingle(flag[1]);
        const string Detected = "Detected on the device at the next synchronisation, so the elements with bad indices were skipped.";
        throw flag[0] switch
        {
            IndexingKernels.MaxPoolBackwardCode => OperationChecks.BadMaxPoolIndex(value, flag[2] / flag[3], flag[2] % flag[3], Detected),
            CrossEntropyKernels.ForwardCode => OperationChecks.BadTarget("CrossEntropy", value, flag[3], flag[2], Detected),
            CrossEntropyKernels.BackwardCode => OperationChecks.BadTarget("CrossEntropyBackward", value, flag[3], flag[2], Detected),
            _ => OperationChecks.BadIndex(flag[0] == IndexingKernels.GatherCode ? "Gather" : "ScatterAdd", value, flag[3], flag[2], Detected),
        };
    }
}
