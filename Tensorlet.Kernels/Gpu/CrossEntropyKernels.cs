using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using Tensorlet.Kernels.Ops;

namespace Tensorlet.Kernels.Gpu;

/// <summary>
/// The fused cross-entropy, one thread per row of the [rows, C] logits (the batch; a row of classes is short and walked
/// from cache), every operand through its own strides, so no layout needs a copy. The formulas are the CPU kernel's
/// (<c>Cpu/CrossEntropy.cs</c>). A class index out of range skips its row and is recorded in the backend's fault flag
/// (<see cref="GpuBackend.IndexErrorFlag"/>), reported at the next synchronisation as a bad Gather index is.
/// </summary>
internal sealed class CrossEntropyKernels
{
    internal const int ForwardCode = 4, BackwardCode = 5;

    private readonly Action<AcceleratorStream, KernelConfig, RowArgs, ArrayView<int>> _forward;
    private readonly Action<AcceleratorStream, KernelConfig, RowArgs, ArrayView<int>> _backward;

    /// <summary>Every kernel this class loads, with its real parameter types (see <see cref="GpuKernelCatalog"/>).</summary>
    internal static Delegate[] EntryPoints =>
    [
        (Action<RowArgs, ArrayView<int>>)ForwardKernel,
        (Action<RowArgs, ArrayView<int>>)BackwardKernel,
    ];

    public CrossEntropyKernels(Accelerator accelerator)
    {
        _forward = accelerator.LoadKernel<RowArgs, ArrayView<int>>(ForwardKernel);
        _backward = accelerator.LoadKernel<RowArgs, ArrayView<int>>(BackwardKernel);
    }

    /// <summary>
    /// X: the logits [rows, cols]; T: the class indices; LogSum: log Σ e^(x − max) (written forward, read backward); G: the upstream
    /// gradient (backward); Out: the loss [rows] (forward) or the gradient [rows, cols] (backward).
    /// </summary>
    internal struct RowArgs
    {
        public ArrayView<float> X, T, LogSum, G, Out;
        public int Rows, Cols;
        public int XOffset, XRow, XCol, TOffset, TStride, LogSumOffset, LogSumStride, GOffset, GStride, OutOffset, OutRow, OutCol;
        public float Smoothing, Beta;
    }

    public void Forward(GpuBackend backend, float smoothing, in StridedView logits, in StridedView target, in StridedView loss, in StridedView logSum)
    {
        int rows = logits.Shape[0];
        if (rows == 0) return;
        var p = Args(smoothing, 0f, logits, target, logSum);
        p.G = p.LogSum;
        p.Out = GpuBackend.View(loss.Buffer);
        (p.OutOffset, p.OutRow) = (loss.Offset, loss.Strides[0]);
        _forward(backend.Stream, backend.Launch(rows), p, backend.IndexErrorFlag());
    }

    public void Backward(GpuBackend backend, float smoothing, in StridedView logits, in StridedView target, in StridedView logSum,
                         in StridedView grad, float beta, in StridedView dst)
    {
        int rows = logits.Shape[0];
        if (rows == 0) return;
        var p = Args(smoothing, beta, logits, target, logSum);
        p.G = GpuBackend.View(grad.Buffer);
        (p.GOffset, p.GStride) = (grad.Offset, grad.Strides[0]);
        p.Out = GpuBackend.View(dst.Buffer);
        (p.OutOffset, p.OutRow, p.OutCol) = (dst.Offset, dst.Strides[0], dst.Strides[1]);
        _backward(backend.Stream, backend.Launch(rows), p, backend.IndexErrorFlag());
    }

    private static RowArgs Args(float smoothing, float beta, in StridedView logits, in StridedView target, in StridedView logSum) => new()
    {
        X = GpuBackend.View(logits.Buffer), T = GpuBackend.View(target.Buffer), LogSum = GpuBackend.View(logSum.Buffer),
        Rows = logits.Shape[0], Cols = logits.Shape[1],
        XOffset = logits.Offset, XRow = logits.Strides[0], XCol = logits.Strides[1],
        TOffset = target.Offset, TStride = target.Strides[0], LogSumOffset = logSum.Offset, LogSumStride = logSum.Strides[0],
        Smoothing = smoothing, Beta = beta,
    };

    private static void ForwardKernel(RowArgs p, ArrayView<int> error)
    {
        for (int r = Grid.GlobalIndex.X; r < p.Rows; r += Grid.DimX * Group.DimX)
        {
            float t = p.T[p.TOffset + r * p.TStride];
            if (!IndexingKernels.Valid(t, p.Cols)) { IndexingKernels.Report(error, ForwardCode, t, p.Cols, r); continue; }
            int x0 = p.XOffset + r * p.XRow;
            float max = float.NegativeInfinity, total = 0f;
            for (int c = 0; c < p.Cols; c++)
            {
                float x = p.X[x0 + c * p.XCol];
                max = ScalarMath.Maximum(max, x);
                total += x;
            }
            max = Shift(max);
            float sum = 0f;
            for (int c = 0; c < p.Cols; c++) sum += XMath.Exp(p.X[x0 + c * p.XCol] - max);
            float logSum = XMath.Log(sum);
            float nll = max - p.X[x0 + (int)t * p.XCol] + logSum;
            if (p.Smoothing != 0f) nll = (1f - p.Smoothing) * nll + p.Smoothing * (max - total / p.Cols + logSum);
            p.Out[p.OutOffset + r * p.OutRow] = nll;
            p.LogSum[p.LogSumOffset + r * p.LogSumStride] = logSum;
        }
    }

    // An all −∞ row has no finite max; shifting by 0 gives log Σ = log 0 = −∞ (and a NaN loss, as log-softmax does).
    private static float Shift(float max) => float.IsNegativeInfinity(max) ? 0f : max;

    // dst = β·dst + g·(e^((x − max) − logSum) − (1 − ε)·[c = t] − ε/C), the row max found again; β = 0 never reads dst.
    private static void BackwardKernel(RowArgs p, ArrayView<int> error)
    {
        for (int r = Grid.GlobalIndex.X; r < p.Rows; r += Grid.DimX * Group.DimX)
        {
            float t = p.T[p.TOffset + r * p.TStride];
            if (!IndexingKernels.Valid(t, p.Cols)) { IndexingKernels.Report(error, BackwardCode, t, p.Cols, r); continue; }
            int x0 = p.XOffset + r * p.XRow, d0 = p.OutOffset + r * p.OutRow, target = (int)t;
            float max = float.NegativeInfinity;
            for (int c = 0; c < p.Cols; c++) max = ScalarMath.Maximum(max, p.X[x0 + c * p.XCol]);
            max = Shift(max);
            float logSum = p.LogSum[p.LogSumOffset + r * p.LogSumStride], g = p.G[p.GOffset + r * p.GStride];
            float shift = g * p.Smoothing / p.Cols, hit = g * (1f - p.Smoothing);
            for (int c = 0; c < p.Cols; c++)
            {
                float v = g * XMath.Exp((p.X[x0 + c * p.XCol] - max) - logSum) - shift;
                if (c == target) v -= hit;
                int at = d0 + c * p.OutCol;
                p.Out[at] = p.Beta == 0f ? v : p.Beta * p.Out[at] + v;
            }
        }
    }
}
