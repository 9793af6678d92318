using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Tensorlet.Kernels.Cpu.Conv;

/// <summary>
/// Weight gradient of a stride-1, ungrouped convolution without im2col or a GEMM, for layers with few taps per output
/// channel (C·KH·KW ≤ <see cref="MaxRows"/>: a first layer, ResNet-20's 16- and 32-channel layers, DenseNet's 48 → 12
/// 3×3 layers) and rows of at least one vector. There the lowered route writes a
/// C·KH·KW × OH·OW matrix per image, transposes it into packed panels and then runs a GEMM with only K = 16–32 rows, so
/// the copies cost as much as the multiply-adds. Here gW[k, c, i, j] = Σ gY[k, oh, ow] · x̃[c, oh + i, ow + j] (x̃ the
/// zero-bordered input) is a dot product of two rows that are both contiguous along ow: a register tile of 4 output
/// channels × 4 taps keeps 16 accumulators of 16 lanes, and per 16 columns loads 4 gradient and 4 input vectors for
/// 16 FMAs. A tile's lane sums are reduced once per group of images and added into the thread's partial gradient;
/// parts are added in order, so the bits depend on the thread count only as the im2col route's do.
/// </summary>
internal static unsafe class DirectWeightGradient
{
    /// <summary>
    /// The most taps per output channel (C·KH·KW) for which this kernel runs. Against im2col, alternating call by call at
    /// batch 64 (`Tensorlet.Benchmarks direct-ratio 21 a,r20-s1,r20-s2,dn-b1-3x3,dn-b2-3x3`, a loaded 2-core Zen 5): 1.5× at
    /// 27 taps (3 → 64), 1.5–1.8× at 144 (ResNet-20's 16 channels), 1.0–1.3× at 288 (32 channels), 1.6–1.8× at 432
    /// (DenseNet's 48 → 12). From 64 channels Winograd takes 3×3 layers.
    /// </summary>
    public const int MaxRows = 576;

    private const int Width = 16, TileK = 4, TileR = 4;

    /// <summary>Off only in tests and benchmarks that compare it with the im2col route.</summary>
    internal static bool Enabled { get; set; } = true;

    /// <summary>True when this kernel should compute the weight gradient of <paramref name="plan"/>.</summary>
    public static bool Applies(in ConvPlan plan)
    {
        var g = plan.Geometry;
        return Enabled && Vector512.IsHardwareAccelerated && g.Groups == 1 && g.StrideH == 1 && g.StrideW == 1
               && g.DilationH == 1 && g.DilationW == 1 && !plan.Pointwise && plan.Rows <= MaxRows && g.OutW >= Width;
    }

    /// <summary>gW (and gB when not null) over the batch; images lie plan.ImageX / plan.ImageY apart.</summary>
    public static void Run(in ConvPlan plan, float* x, float* gy, float* gw, float* gb)
    {
        var g = plan.Geometry;
        int k = g.K, rows = plan.Rows, weights = k * rows;
        var layout = new Layout(g, Math.Max(1, (g.N + plan.BatchParts - 1) / plan.BatchParts));
        var partials = new nint[plan.BatchParts];
        for (int p = 1; p < partials.Length; p++) partials[p] = (nint)ConvScratch.Partial(p, weights + (gb != null ? k : 0));
        var local = plan;
        plan.ForImages((p, start, end) =>
        {
            float* dw = p == 0 ? gw : (float*)partials[p];
            float* db = gb == null ? null : p == 0 ? gb : dw + weights;
            new Span<float>(dw, weights).Clear();
            if (db != null) new Span<float>(db, k).Clear();
            float* padded = ConvScratch.Column(layout.InputFloats * layout.Images);
            float* grads = ConvScratch.StepRows(layout.GradientFloats * layout.Images);
            int* offsets = stackalloc int[layout.PaddedRows];
            var acc = stackalloc Vector512<float>[TileK * TileR];
            layout.Offsets(offsets);
            // The borders, row tails and padding planes are zero and no image writes them, so they are cleared once here;
            // each image then copies only its own values into place.
            new Span<float>(padded, (int)(layout.InputFloats * layout.Images)).Clear();
            new Span<float>(grads, (int)(layout.GradientFloats * layout.Images)).Clear();
            for (int n = start; n < end; n += layout.Images)
            {
                int count = Math.Min(layout.Images, end - n);
                for (int m = 0; m < count; m++)
                {
                    layout.Border(x + (nint)(n + m) * local.ImageX, padded + m * layout.InputFloats);
                    layout.Widen(gy + (nint)(n + m) * local.ImageY, grads + m * layout.GradientFloats);
                }
                for (int k0 = 0; k0 < k; k0 += TileK)
                for (int r0 = 0; r0 < rows; r0 += TileR)
                    Tile(layout, count, grads + (nint)k0 * layout.GradientPlane, padded, offsets + r0, acc, dw, k0, r0, k, rows);
                if (db == null) continue;
                for (int m = n; m < n + count; m++)
                for (int c = 0; c < k; c++)
                    db[c] += ConvVectors.Sum(gy + (nint)m * local.ImageY + (nint)c * local.Spatial, local.Spatial);
            }
        });
        for (int p = 1; p < partials.Length; p++)
        {
            float* part = (float*)partials[p];
            ConvVectors.Add(part, gw, weights);
            if (gb != null) ConvVectors.Add(part + weights, gb, k);
        }
    }

    /// <summary>
    /// The scratch layouts: gY with rows widened to whole vectors (zero tail) and TileK − 1 zero planes after the last
    /// channel; x̃ with rows wide enough for every tap's last vector and one zero plane after the last channel, which
    /// the taps past C·KH·KW read. Padding is read as zeros, so every tile is whole and its surplus sums are dropped.
    /// Small images are taken several at a time (<see cref="Images"/>, up to <see cref="TargetColumns"/> positions), so a
    /// tile's 24 lane sums, which cost about as much as 200 FMAs, are reduced once per group rather than per image.
    /// </summary>
    private readonly struct Layout
    {
        private const int TargetColumns = 1024;

        public Layout(in Conv2dGeometry g, int perPart)
        {
            Geometry = g;
            Images = Math.Clamp(TargetColumns / Math.Max(1, g.OutH * g.OutW), 1, perPart);
            GradientRow = (g.OutW + Width - 1) / Width * Width;
            GradientPlane = g.OutH * GradientRow;
            InputRow = Math.Max(g.W + 2 * g.PadW, GradientRow + g.KW - 1);
            InputPlane = (g.H + 2 * g.PadH) * InputRow;
            PaddedRows = (g.C * g.KH * g.KW + TileR - 1) / TileR * TileR;
        }

        public Conv2dGeometry Geometry { get; }
        public int Images { get; }
        public int GradientRow { get; }
        public int GradientPlane { get; }
        public int InputRow { get; }
        public int InputPlane { get; }
        public int PaddedRows { get; }
        public long GradientFloats => (long)(Geometry.K + TileK - 1) * GradientPlane;
        public long InputFloats => (long)(Geometry.C + 1) * InputPlane;

        public void Offsets(int* offsets)
        {
            var g = Geometry;
            int t = 0;
            for (int c = 0; c < g.C; c++)
            for (int i = 0; i < g.KH; i++)
            for (int j = 0; j < g.KW; j++)
                offsets[t++] = c * InputPlane + i * InputRow + j;
            for (; t < PaddedRows; t++) offsets[t] = g.C * InputPlane;
        }

        public void Border(float* x, float* padded)
        {
            var g = Geometry;
            for (int c = 0; c < g.C; c++)
            for (int h = 0; h < g.H; h++)
                new Span<float>(x + ((nint)c * g.H + h) * g.W, g.W)
                    .CopyTo(new Span<float>(padded + (nint)c * InputPlane + (nint)(h + g.PadH) * InputRow + g.PadW, g.W));
        }

        public void Widen(float* gy, float* grads)
        {
            var g = Geometry;
            if (GradientRow == g.OutW)
            {
                new Span<float>(gy, g.K * GradientPlane).CopyTo(new Span<float>(grads, g.K * GradientPlane));
                return;
            }
            for (int row = 0; row < g.K * g.OutH; row++)
                new Span<float>(gy + (nint)row * g.OutW, g.OutW).CopyTo(new Span<float>(grads + (nint)row * GradientRow, g.OutW));
        }
    }

    /// <summary>
    /// Adds one image's products to a 4 × 4 tile of accumulators, which live in <paramref name="acc"/> between images so
    /// that the lane sums are taken once per group of images.
    /// </summary>
    [SkipLocalsInit, MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Accumulate(Vector512<float>* acc, float* gy, nint plane, nint gRow, float* x0, float* x1, float* x2, float* x3,
                                   nint xRow, int outH)
    {
        Vector512<float> a00 = acc[0], a01 = acc[1], a02 = acc[2], a03 = acc[3];
        Vector512<float> a10 = acc[4], a11 = acc[5], a12 = acc[6], a13 = acc[7];
        Vector512<float> a20 = acc[8], a21 = acc[9], a22 = acc[10], a23 = acc[11];
        Vector512<float> a30 = acc[12], a31 = acc[13], a32 = acc[14], a33 = acc[15];
        for (int oh = 0; oh < outH; oh++, gy += gRow, x0 += xRow, x1 += xRow, x2 += xRow, x3 += xRow)
        for (nint c = 0; c < gRow; c += Width)
        {
            Vector512<float> v0 = Vector512.Load(gy + c), v1 = Vector512.Load(gy + plane + c);
            Vector512<float> v2 = Vector512.Load(gy + 2 * plane + c), v3 = Vector512.Load(gy + 3 * plane + c);
            var u = Vector512.Load(x0 + c);
            a00 = Vector512.FusedMultiplyAdd(v0, u, a00); a10 = Vector512.FusedMultiplyAdd(v1, u, a10);
            a20 = Vector512.FusedMultiplyAdd(v2, u, a20); a30 = Vector512.FusedMultiplyAdd(v3, u, a30);
            u = Vector512.Load(x1 + c);
            a01 = Vector512.FusedMultiplyAdd(v0, u, a01); a11 = Vector512.FusedMultiplyAdd(v1, u, a11);
            a21 = Vector512.FusedMultiplyAdd(v2, u, a21); a31 = Vector512.FusedMultiplyAdd(v3, u, a31);
            u = Vector512.Load(x2 + c);
            a02 = Vector512.FusedMultiplyAdd(v0, u, a02); a12 = Vector512.FusedMultiplyAdd(v1, u, a12);
            a22 = Vector512.FusedMultiplyAdd(v2, u, a22); a32 = Vector512.FusedMultiplyAdd(v3, u, a32);
            u = Vector512.Load(x3 + c);
            a03 = Vector512.FusedMultiplyAdd(v0, u, a03); a13 = Vector512.FusedMultiplyAdd(v1, u, a13);
            a23 = Vector512.FusedMultiplyAdd(v2, u, a23); a33 = Vector512.FusedMultiplyAdd(v3, u, a33);
        }
        acc[0] = a00; acc[1] = a01; acc[2] = a02; acc[3] = a03;
        acc[4] = a10; acc[5] = a11; acc[6] = a12; acc[7] = a13;
        acc[8] = a20; acc[9] = a21; acc[10] = a22; acc[11] = a23;
        acc[12] = a30; acc[13] = a31; acc[14] = a32; acc[15] = a33;
    }

    /// <summary>One tile over a group of images: accumulate every image, then add the lane sums into dW.</summary>
    private static void Tile(in Layout layout, int images, float* gy, float* padded, int* offsets, Vector512<float>* acc,
                             float* dw, int k0, int r0, int k, int rows)
    {
        for (int i = 0; i < TileK * TileR; i++) acc[i] = default;
        nint plane = layout.GradientPlane, gRow = layout.GradientRow, xRow = layout.InputRow;
        for (int m = 0; m < images; m++, gy += layout.GradientFloats, padded += layout.InputFloats)
            Accumulate(acc, gy, plane, gRow, padded + offsets[0], padded + offsets[1], padded + offsets[2], padded + offsets[3],
                       xRow, layout.Geometry.OutH);
        int kc = Math.Min(TileK, k - k0), rc = Math.Min(TileR, rows - r0);
        // Sums past K or C·KH·KW came from the zero padding and are dropped.
        for (int q = 0; q < kc; q++)
        for (int r = 0; r < rc; r++)
            dw[(nint)(k0 + q) * rows + r0 + r] += Vector512.Sum(acc[q * TileR + r]);
    }
}
