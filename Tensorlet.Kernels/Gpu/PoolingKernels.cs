using ILGPU;
using ILGPU.Runtime;

namespace Tensorlet.Kernels.Gpu;

/// <summary>
/// Max, average and adaptive average pooling of contiguous NCHW planes. Forward kernels give each output its own
/// thread, which scans its window in row-major order. Backward kernels give each input element its own thread, which
/// gathers from the outputs whose windows contain it, in output order: no atomics, so gradients are deterministic, and
/// they add in the order the CPU kernels add in. Windows follow <see cref="PoolAxis"/>, the rules the CPU and reference
/// kernels use too; strided and adaptive windows share the average kernels through it.
/// </summary>
internal sealed class PoolingKernels
{
    private readonly Action<AcceleratorStream, KernelConfig, PoolOperands> _maxForward;
    private readonly Action<AcceleratorStream, KernelConfig, PoolOperands, ArrayView<int>> _maxBackward;
    private readonly Action<AcceleratorStream, KernelConfig, PoolOperands> _avgForward;
    private readonly Action<AcceleratorStream, KernelConfig, PoolOperands> _avgBackward;

    /// <summary>Every kernel this class loads, with its real parameter types (see <see cref="GpuKernelCatalog"/>).</summary>
    internal static Delegate[] EntryPoints =>
    [
        (Action<PoolOperands>)MaxForwardKernel,
        (Action<PoolOperands, ArrayView<int>>)MaxBackwardKernel,
        (Action<PoolOperands>)AvgForwardKernel,
        (Action<PoolOperands>)AvgBackwardKernel,
    ];

    public PoolingKernels(Accelerator accelerator)
    {
        _maxForward = accelerator.LoadKernel<PoolOperands>(MaxForwardKernel);
        _maxBackward = accelerator.LoadKernel<PoolOperands, ArrayView<int>>(MaxBackwardKernel);
        _avgForward = accelerator.LoadKernel<PoolOperands>(AvgForwardKernel);
        _avgBackward = accelerator.LoadKernel<PoolOperands>(AvgBackwardKernel);
    }

    /// <summary>
    /// Src is x (forward) or gradY (backward), Dst is y or gradX; Indices is used by max pooling only.
    /// </summary>
    internal struct PoolOperands
    {
        public ArrayView<float> Src, Indices, Dst;
        public int SrcOffset, IndicesOffset, DstOffset, Planes;
        public PoolAxis Rows, Cols;
    }

    public void MaxForward(GpuBackend backend, in Pool2dGeometry g, DeviceBuffer x, int xOffset, DeviceBuffer y, int yOffset,
                           DeviceBuffer indices, int indicesOffset)
    {
        var p = Operands(g, x, xOffset, y, yOffset);
        p.Indices = GpuBackend.View(indices);
        p.IndicesOffset = indicesOffset;
        _maxForward(backend.Stream, backend.Launch(Outputs(p)), p);
    }

    public void MaxBackward(GpuBackend backend, in Pool2dGeometry g, DeviceBuffer gradY, int gradYOffset, DeviceBuffer indices,
                            int indicesOffset, DeviceBuffer gradX, int gradXOffset)
    {
        var p = Operands(g, gradY, gradYOffset, gradX, gradXOffset);
        p.Indices = GpuBackend.View(indices);
        p.IndicesOffset = indicesOffset;
        _maxBackward(backend.Stream, backend.Launch(Math.Max(Inputs(p), Outputs(p))), p, backend.IndexErrorFlag());
    }

    public void AvgForward(GpuBackend backend, in Pool2dGeometry g, DeviceBuffer x, int xOffset, DeviceBuffer y, int yOffset)
    {
        var p = Operands(g, x, xOffset, y, yOffset);
        _avgForward(backend.Stream, backend.Launch(Outputs(p)), p);
    }

    public void AvgBackward(GpuBackend backend, in Pool2dGeometry g, DeviceBuffer gradY, int gradYOffset, DeviceBuffer gradX, int gradXOffset)
    {
        var p = Operands(g, gradY, gradYOffset, gradX, gradXOffset);
        _avgBackward(backend.Stream, backend.Launch(Inputs(p)), p);
    }

    public void AdaptiveForward(GpuBackend backend, int planes, int h, int w, int outH, int outW, DeviceBuffer x, int xOffset,
                                DeviceBuffer y, int yOffset)
    {
        var p = Adaptive(planes, h, w, outH, outW, x, xOffset, y, yOffset);
        _avgForward(backend.Stream, backend.Launch(Outputs(p)), p);
    }

    public void AdaptiveBackward(GpuBackend backend, int planes, int h, int w, int outH, int outW, DeviceBuffer gradY, int gradYOffset,
                                 DeviceBuffer gradX, int gradXOffset)
    {
        var p = Adaptive(planes, h, w, outH, outW, gradY, gradYOffset, gradX, gradXOffset);
        _avgBackward(backend.Stream, backend.Launch(Inputs(p)), p);
    }

    private static PoolOperands Operands(in Pool2dGeometry g, DeviceBuffer src, int srcOffset, DeviceBuffer dst, int dstOffset) => new()
    {
        Src = GpuBackend.View(src), Dst = GpuBackend.View(dst), SrcOffset = srcOffset, DstOffset = dstOffset, Planes = g.N * g.C,
        Rows = PoolAxis.Of(g).Rows, Cols = PoolAxis.Of(g).Cols,
    };

    private static PoolOperands Adaptive(int planes, int h, int w, int outH, int outW, DeviceBuffer src, int srcOffset,
                                         DeviceBuffer dst, int dstOffset) => new()
    {
        Src = GpuBackend.View(src), Dst = GpuBackend.View(dst), SrcOffset = srcOffset, DstOffset = dstOffset, Planes = planes,
        Rows = PoolAxis.AdaptiveBins(h, outH), Cols = PoolAxis.AdaptiveBins(w, outW),
    };

    private static long Outputs(in PoolOperands p) => (long)p.Planes * p.Rows.Out * p.Cols.Out;
    private static long Inputs(in PoolOperands p) => (long)p.Planes * p.Rows.Size * p.Cols.Size;

    // ---- kernels ------------------------------------------------------------------------------------------

    // The reference's scan: strictly greater keeps the first maximum, a NaN always takes over (so the last NaN wins),
    // and starting from −∞ at the first in-image element means padding never wins.
    private static void MaxForwardKernel(PoolOperands p)
    {
        int oh = p.Rows.Out, ow = p.Cols.Out, h = p.Rows.Size, w = p.Cols.Size;
        int count = p.Planes * oh * ow;
        for (int t = Grid.GlobalIndex.X; t < count; t += Grid.DimX * Group.DimX)
        {
            int plane = t / (oh * ow), o = t - plane * oh * ow, i = o / ow, j = o - i * ow;
            int h0 = p.Rows.Start(i), h1 = p.Rows.End(i), w0 = p.Cols.Start(j), w1 = p.Cols.End(j);
            int src = p.SrcOffset + plane * h * w;
            float best = float.NegativeInfinity;
            int at = h0 * w + w0;
            for (int r = h0; r < h1; r++)
                for (int c = w0; c < w1; c++)
                {
                    float v = p.Src[src + r * w + c];
                    if (v > best || float.IsNaN(v))
                    {
                        best = v;
                        at = r * w + c;
                    }
                }
            p.Dst[p.DstOffset + t] = best;
            p.Indices[p.IndicesOffset + t] = at;
        }
    }

    // Input (r, c) receives gradY[o] from each output o whose window contains it and whose index names it. An index
    // outside its own window (never produced by the forward pass) would therefore be dropped silently, so item t also
    // checks output t's index and reports a bad one through the backend's error flag.
    private static void MaxBackwardKernel(PoolOperands p, ArrayView<int> error)
    {
        int oh = p.Rows.Out, ow = p.Cols.Out, h = p.Rows.Size, w = p.Cols.Size;
        int count = p.Planes * h * w, outputs = p.Planes * oh * ow;
        for (int t = Grid.GlobalIndex.X; t < count || t < outputs; t += Grid.DimX * Group.DimX)
        {
            if (t < outputs) CheckIndex(p, error, t);
            if (t >= count) continue;
            int plane = t / (h * w), at = t - plane * h * w, r = at / w, c = at - r * w;
            int first = p.SrcOffset + plane * oh * ow, firstIndex = p.IndicesOffset + plane * oh * ow;
            float self = at, sum = 0f;
            int i1 = p.Rows.EndOutput(r), j0 = p.Cols.FirstOutput(c), j1 = p.Cols.EndOutput(c);
            for (int i = p.Rows.FirstOutput(r); i < i1; i++)
                for (int j = j0; j < j1; j++)
                    if (p.Indices[firstIndex + i * ow + j] == self) sum += p.Src[first + i * ow + j];
            p.Dst[p.DstOffset + t] = sum;
        }
    }

    private static void CheckIndex(PoolOperands p, ArrayView<int> error, int t)
    {
        int oh = p.Rows.Out, ow = p.Cols.Out;
        int o = t % (oh * ow), i = o / ow, j = o - i * ow;
        float v = p.Indices[p.IndicesOffset + t];
        if (!PoolAxis.Holds(p.Rows, p.Cols, i, j, v)) IndexingKernels.Report(error, IndexingKernels.MaxPoolBackwardCode, v, t, oh * ow);
    }

    // Sums each row of the window, then the row sums, then scales by the row and column factors: the CPU's order.
    private static void AvgForwardKernel(PoolOperands p)
    {
        int oh = p.Rows.Out, ow = p.Cols.Out, h = p.Rows.Size, w = p.Cols.Size;
        int count = p.Planes * oh * ow;
        for (int t = Grid.GlobalIndex.X; t < count; t += Grid.DimX * Group.DimX)
        {
            int plane = t / (oh * ow), o = t - plane * oh * ow, i = o / ow, j = o - i * ow;
            int h1 = p.Rows.End(i), w0 = p.Cols.Start(j), w1 = p.Cols.End(j);
            int src = p.SrcOffset + plane * h * w;
            float sum = 0f;
            for (int r = p.Rows.Start(i); r < h1; r++)
            {
                float row = 0f;
                for (int c = w0; c < w1; c++) row += p.Src[src + r * w + c];
                sum += row;
            }
            p.Dst[p.DstOffset + t] = sum * p.Rows.Scale(i) * p.Cols.Scale(j);
        }
    }

    // gradX(r, c) = Σ_j Σ_i gradY(i, j)·rowScale(i)·colScale(j) over the windows containing (r, c), inner sum over i
    // first as the CPU's adjoint (rows spread first, then columns).
    private static void AvgBackwardKernel(PoolOperands p)
    {
        int oh = p.Rows.Out, ow = p.Cols.Out, h = p.Rows.Size, w = p.Cols.Size;
        int count = p.Planes * h * w;
        for (int t = Grid.GlobalIndex.X; t < count; t += Grid.DimX * Group.DimX)
        {
            int plane = t / (h * w), at = t - plane * h * w, r = at / w, c = at - r * w;
            int first = p.SrcOffset + plane * oh * ow;
            int i0 = p.Rows.FirstOutput(r), i1 = p.Rows.EndOutput(r), j1 = p.Cols.EndOutput(c);
            float sum = 0f;
            for (int j = p.Cols.FirstOutput(c); j < j1; j++)
            {
                float colScale = p.Cols.Scale(j), column = 0f;
                for (int i = i0; i < i1; i++) column += p.Src[first + i * ow + j] * p.Rows.Scale(i) * colScale;
                sum += column;
            }
            p.Dst[p.DstOffset + t] = sum;
        }
    }
}
