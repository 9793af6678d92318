using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using Tensorlet.Kernels.Ops;

namespace Tensorlet.Kernels.Gpu;

/// <summary>
/// Row-wise (log-)softmax and its gradient, one thread per row of a contiguous [rows, cols] array: in training the rows
/// are the batch and the columns the classes, so a row is short and a thread walks it three times from cache. The
/// formulas are those of the CPU kernel (<c>Cpu/Softmax.cs</c>), max-shifted for stability.
/// </summary>
internal sealed class SoftmaxKernels
{
    private readonly Action<AcceleratorStream, KernelConfig, RowOperands> _forward;
    private readonly Action<AcceleratorStream, KernelConfig, RowOperands> _backward;

    /// <summary>Every kernel this class loads, with its real parameter types (see <see cref="GpuKernelCatalog"/>).</summary>
    internal static Delegate[] EntryPoints =>
    [
        (Action<RowOperands>)ForwardKernel,
        (Action<RowOperands>)BackwardKernel,
    ];

    public SoftmaxKernels(Accelerator accelerator)
    {
        _forward = accelerator.LoadKernel<RowOperands>(ForwardKernel);
        _backward = accelerator.LoadKernel<RowOperands>(BackwardKernel);
    }

    /// <summary>X is the input (forward) or the output y (backward); G the upstream gradient (backward only).</summary>
    internal struct RowOperands
    {
        public ArrayView<float> X, G, Dst;
        public int XOffset, GOffset, DstOffset, Rows, Cols;
        public int Log;
    }

    public void Forward(GpuBackend backend, bool log, DeviceBuffer src, int srcOffset, int rows, int cols, DeviceBuffer dst, int dstOffset)
    {
        if ((long)rows * cols == 0) return;
        var p = new RowOperands
        {
            X = GpuBackend.View(src), G = GpuBackend.View(src), Dst = GpuBackend.View(dst),
            XOffset = srcOffset, DstOffset = dstOffset, Rows = rows, Cols = cols, Log = log ? 1 : 0,
        };
        _forward(backend.Stream, backend.Launch(rows), p);
    }

    public void Backward(GpuBackend backend, bool log, DeviceBuffer y, int yOffset, DeviceBuffer grad, int gradOffset,
                         int rows, int cols, DeviceBuffer dst, int dstOffset)
    {
        if ((long)rows * cols == 0) return;
        var p = new RowOperands
        {
            X = GpuBackend.View(y), G = GpuBackend.View(grad), Dst = GpuBackend.View(dst),
            XOffset = yOffset, GOffset = gradOffset, DstOffset = dstOffset, Rows = rows, Cols = cols, Log = log ? 1 : 0,
        };
        _backward(backend.Stream, backend.Launch(rows), p);
    }

    private static void ForwardKernel(RowOperands p)
    {
        for (int r = Grid.GlobalIndex.X; r < p.Rows; r += Grid.DimX * Group.DimX)
        {
            int x0 = p.XOffset + r * p.Cols, d0 = p.DstOffset + r * p.Cols;
            float max = float.NegativeInfinity;
            for (int j = 0; j < p.Cols; j++) max = ScalarMath.Maximum(max, p.X[x0 + j]);
            // An all −∞ row has no finite max; shifting by 0 then gives NaN from 0/0 like the definition would.
            if (float.IsNegativeInfinity(max)) max = 0f;
            float sum = 0f;
            for (int j = 0; j < p.Cols; j++)
            {
                float e = XMath.Exp(p.X[x0 + j] - max);
                p.Dst[d0 + j] = e;
                sum += e;
            }
            if (p.Log != 0)
            {
                float logSum = XMath.Log(sum);
                for (int j = 0; j < p.Cols; j++) p.Dst[d0 + j] = p.X[x0 + j] - max - logSum;
            }
            else
            {
                float inv = 1f / sum;
                for (int j = 0; j < p.Cols; j++) p.Dst[d0 + j] *= inv;
            }
        }
    }

    // softmax: dx = y ⊙ (g − Σ g⊙y);  log-softmax: dx = g − e^y · Σ g.
    private static void BackwardKernel(RowOperands p)
    {
        for (int r = Grid.GlobalIndex.X; r < p.Rows; r += Grid.DimX * Group.DimX)
        {
            int y0 = p.XOffset + r * p.Cols, g0 = p.GOffset + r * p.Cols, d0 = p.DstOffset + r * p.Cols;
            float s = 0f;
            if (p.Log != 0)
            {
                for (int j = 0; j < p.Cols; j++) s += p.G[g0 + j];
                for (int j = 0; j < p.Cols; j++) p.Dst[d0 + j] = p.G[g0 + j] - XMath.Exp(p.X[y0 + j]) * s;
            }
            else
            {
                for (int j = 0; j < p.Cols; j++) s += p.G[g0 + j] * p.X[y0 + j];
                for (int j = 0; j < p.Cols; j++) p.Dst[d0 + j] = p.X[y0 + j] * (p.G[g0 + j] - s);
            }
        }
    }
}
