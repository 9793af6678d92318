using ILGPU;
using ILGPU.Runtime;

namespace Tensorlet.Kernels.Gpu;

/// <summary>
/// The data movement around the convolution GEMMs: im2col (lower images to a matrix), col2im (fold a lowered gradient
/// back onto the image), and the bias broadcast. Lowered images are [images, C, KH, KW, OH·OW], that is
/// [images, groups, Cg·KH·KW, OH·OW]: one GEMM operand per (image, group), a fixed stride apart. One thread per
/// written element in a grid-stride loop; col2im gathers each input pixel's contributions in a fixed order, so it needs
/// no atomics and is deterministic.
/// </summary>
internal sealed class ConvolutionKernels
{
    private readonly Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ConvShape> _im2col;
    private readonly Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ConvShape> _col2im;
    private readonly Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, BiasShape> _addBias;

    public ConvolutionKernels(Accelerator accelerator)
    {
        _im2col = accelerator.LoadKernel<ArrayView<float>, ArrayView<float>, ConvShape>(Im2ColKernel);
        _col2im = accelerator.LoadKernel<ArrayView<float>, ArrayView<float>, ConvShape>(Col2ImKernel);
        _addBias = accelerator.LoadKernel<ArrayView<float>, ArrayView<float>, BiasShape>(AddBiasKernel);
    }

    /// <summary>The geometry of a run of images, with where the source and the destination start.</summary>
    internal struct ConvShape
    {
        public int Images, C, H, W, KH, KW, StrideH, StrideW, PadH, PadW, DilationH, DilationW, OutH, OutW;
        public int SrcOffset, DstOffset;

        public static ConvShape Of(in Conv2dGeometry g, int images, int srcOffset, int dstOffset) => new()
        {
            Images = images, C = g.C, H = g.H, W = g.W, KH = g.KH, KW = g.KW, StrideH = g.StrideH, StrideW = g.StrideW,
            PadH = g.PadH, PadW = g.PadW, DilationH = g.DilationH, DilationW = g.DilationW, OutH = g.OutH, OutW = g.OutW,
            SrcOffset = srcOffset, DstOffset = dstOffset,
        };
    }

    internal struct BiasShape
    {
        public int YOffset, BiasOffset, Count, Channels, Spatial;
    }

    /// <summary>Floats of one lowered image, C·KH·KW·OH·OW.</summary>
    public static long ColumnFloats(in Conv2dGeometry g) => (long)g.C * g.KH * g.KW * g.OutH * g.OutW;

    /// <summary>Lowers <paramref name="images"/> images starting at x[<paramref name="xOffset"/>] into col (from 0).</summary>
    public void Im2Col(GpuBackend backend, in Conv2dGeometry g, int images, DeviceBuffer x, int xOffset, DeviceBuffer col, int colOffset = 0)
    {
        long count = images * ColumnFloats(g);
        _im2col(backend.Stream, backend.Launch(count), GpuBackend.View(x), GpuBackend.View(col), ConvShape.Of(g, images, xOffset, colOffset));
    }

    /// <summary>gX = col2im(col) for <paramref name="images"/> images, overwriting gX from <paramref name="gxOffset"/>.</summary>
    public void Col2Im(GpuBackend backend, in Conv2dGeometry g, int images, DeviceBuffer col, DeviceBuffer gradX, int gxOffset, int colOffset = 0)
    {
        long count = (long)images * g.C * g.H * g.W;
        _col2im(backend.Stream, backend.Launch(count), GpuBackend.View(col), GpuBackend.View(gradX), ConvShape.Of(g, images, colOffset, gxOffset));
    }

    /// <summary>y[n, k, s] += bias[k] over the contiguous [n, channels, spatial] array at y[<paramref name="yOffset"/>].</summary>
    public void AddBias(GpuBackend backend, DeviceBuffer y, int yOffset, int n, int channels, int spatial, DeviceBuffer bias, int biasOffset)
    {
        int count = n * channels * spatial;
        var shape = new BiasShape { YOffset = yOffset, BiasOffset = biasOffset, Count = count, Channels = channels, Spatial = spatial };
        _addBias(backend.Stream, backend.Launch(count), GpuBackend.View(y), GpuBackend.View(bias), shape);
    }

    // col[((n·C + c)·KH + i)·KW + j, oh·OW + ow] = x[n, c, oh·sH − pH + i·dH, ow·sW − pW + j·dW], 0 outside the image.
    // Threads run along the destination, so the writes are coalesced; reads along a row are sW apart.
    private static void Im2ColKernel(ArrayView<float> x, ArrayView<float> col, ConvShape s)
    {
        int spatial = s.OutH * s.OutW, taps = s.KH * s.KW;
        int count = s.Images * s.C * taps * spatial;
        for (int t = Grid.GlobalIndex.X; t < count; t += Grid.DimX * Group.DimX)
        {
            int row = t / spatial, at = t - row * spatial;
            int oh = at / s.OutW, ow = at - oh * s.OutW;
            int plane = row / taps, tap = row - plane * taps;  // plane = n·C + c
            int i = tap / s.KW, j = tap - i * s.KW;
            int h = oh * s.StrideH - s.PadH + i * s.DilationH, w = ow * s.StrideW - s.PadW + j * s.DilationW;
            float v = 0f;
            if (h >= 0 && h < s.H && w >= 0 && w < s.W) v = x[s.SrcOffset + (plane * s.H + h) * s.W + w];
            col[s.DstOffset + t] = v;
        }
    }

    // gX[n, c, h, w] = Σ col[((n·C + c)·KH + i)·KW + j, oh·OW + ow] over the taps (i, j) and outputs (oh, ow) that read
    // (h, w): oh·sH − pH + i·dH = h, so oh = (h + pH − i·dH) / sH when that divides exactly and lies in [0, OH).
    private static void Col2ImKernel(ArrayView<float> col, ArrayView<float> gx, ConvShape s)
    {
        int spatial = s.OutH * s.OutW, taps = s.KH * s.KW;
        int count = s.Images * s.C * s.H * s.W;
        for (int t = Grid.GlobalIndex.X; t < count; t += Grid.DimX * Group.DimX)
        {
            int plane = t / (s.H * s.W), at = t - plane * (s.H * s.W);
            int h = at / s.W, w = at - h * s.W;
            int rows = s.SrcOffset + plane * taps * spatial;
            float sum = 0f;
            for (int i = 0; i < s.KH; i++)
            {
                int hh = h + s.PadH - i * s.DilationH;
                if (hh < 0) break;  // later taps reach further up, so they miss too
                int oh = hh / s.StrideH;
                if (oh * s.StrideH != hh || oh >= s.OutH) continue;
                for (int j = 0; j < s.KW; j++)
                {
                    int ww = w + s.PadW - j * s.DilationW;
                    if (ww < 0) break;
                    int ow = ww / s.StrideW;
                    if (ow * s.StrideW != ww || ow >= s.OutW) continue;
                    sum += col[rows + (i * s.KW + j) * spatial + oh * s.OutW + ow];
                }
            }
            gx[s.DstOffset + t] = sum;
        }
    }

    private static void AddBiasKernel(ArrayView<float> y, ArrayView<float> bias, BiasShape s)
    {
        for (int t = Grid.GlobalIndex.X; t < s.Count; t += Grid.DimX * Group.DimX)
            y[s.YOffset + t] += bias[s.BiasOffset + t / s.Spatial % s.Channels];
    }
}
