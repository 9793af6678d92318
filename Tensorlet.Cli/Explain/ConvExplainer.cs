using Tensorlet.Kernels;

namespace Tensorlet.Cli.Explain;

/// <summary>
/// <c>tensorlet explain conv</c>: a convolution done the way fast libraries do it — im2col (<see cref="F.Unfold(Tensor, int, int, int, int)"/>)
/// then one matrix product — with every intermediate matrix printed, checked against the seven-loop definition
/// (<see cref="Kernels.Reference.Conv2d"/>) and Tensorlet's own <see cref="F.Conv2d(Tensor, Tensor, Tensor?, int, int, int, int)"/>.
/// The backward pass is shown the same way: dW as a GEMM with the im2col matrix, dx through col2im
/// (<see cref="F.Fold(Tensor, int, int, int, int, int)"/>), both checked against autograd.
/// </summary>
internal static class ConvExplainer
{
    /// <summary>Largest difference from a check that still counts as equal (float32 sums in different orders).</summary>
    public const double Tolerance = 1e-5;

    /// <summary>Prints the walk-through to <paramref name="o"/>; false when a check failed.</summary>
    public static bool Run(ConvRequest request, TextWriter o)
    {
        var g = request.Geometry;
        var generator = new Generator(request.Seed);
        int rows = request.Rows, columns = request.Columns, positions = g.OutH * g.OutW;
        int[] xShape = [g.N, g.C, g.H, g.W], wShape = [g.K, g.C, g.KH, g.KW], yShape = [g.N, g.K, g.OutH, g.OutW];
        float[] x = Rounded(xShape, generator), w = Rounded(wShape, generator);
        bool ok = true;
        using var scope = TensorScope.Begin();
        var xt = Tensor.FromArray(x, xShape);
        var wt = Tensor.FromArray(w, wShape);

        o.WriteLine($"Convolution: x {Shape.Format(xShape)} * W {Shape.Format(wShape)}, stride {g.StrideH}, padding {g.PadH} -> y {Shape.Format(yShape)}");
        o.WriteLine($"  OH = (H + 2p - k) / s + 1 = ({g.H} + 2*{g.PadH} - {g.KH}) / {g.StrideH} + 1 = {g.OutH}; OW = {g.OutW}. " +
                    $"x and W are seeded normals (seed {request.Seed}) rounded to 0.1.");
        o.WriteLine();
        o.WriteLine($"1. x padded with {g.PadH} zeros on each side {Shape.Format([g.N, g.C, g.H + 2 * g.PadH, g.W + 2 * g.PadW])}:");
        o.Write(MatrixText.Planes(xt.Pad([g.PadW, g.PadW, g.PadH, g.PadH]).ToArray(), g.N, g.C, g.H + 2 * g.PadH, g.W + 2 * g.PadW));
        o.WriteLine();

        // Unfold gives [N, C·kh·kw, L]; laying the images' columns side by side makes the whole batch one GEMM.
        var cols = F.Unfold(xt, g.KH, 1, g.PadH, g.StrideH).Permute(1, 0, 2).Reshape(rows, columns);
        o.WriteLine($"2. im2col = F.Unfold(x) as a [{rows} x {columns}] matrix: row (c*{g.KH} + i)*{g.KW} + j is tap (i, j) of channel c; " +
                    $"column n*{positions} + oh*{g.OutW} + ow is the patch under output (oh, ow) of image n:");
        o.Write(MatrixText.Matrix(cols.ToArray(), rows, columns));
        o.WriteLine();
        var wm = wt.Reshape(g.K, rows);
        o.WriteLine($"3. weight matrix W.reshape({g.K}, {rows}): one filter per row, in the same (c, i, j) order:");
        o.Write(MatrixText.Matrix(wm.ToArray(), g.K, rows));
        o.WriteLine();
        var product = wm.MatMul(cols);
        o.WriteLine($"4. product W * im2col [{g.K} x {columns}]: row k, column n*{positions} + p is output channel k at position p of image n:");
        o.Write(MatrixText.Matrix(product.ToArray(), g.K, columns));
        o.WriteLine();
        var y = product.Reshape(g.K, g.N, positions).Permute(1, 0, 2).Reshape(yShape).ToArray();
        o.WriteLine($"5. the product reshaped to y {Shape.Format(yShape)}:");
        o.Write(MatrixText.Planes(y, g.N, g.K, g.OutH, g.OutW, "k"));
        o.WriteLine();

        o.WriteLine("6. checks:");
        ok &= Check(o, "im2col GEMM vs the direct seven-loop convolution", y, Kernels.Reference.Conv2d.Forward(g, x, w, null));
        ok &= Check(o, "im2col GEMM vs Tensorlet's F.Conv2d", y, F.Conv2d(xt, wt, null, g.StrideH, g.PadH).ToArray());
        if (request.Backward) ok &= Backward(request, o, generator, x, w, cols, wm);
        return ok;
    }

    private static bool Backward(ConvRequest request, TextWriter o, Generator generator, float[] x, float[] w, Tensor cols, Tensor wm)
    {
        var g = request.Geometry;
        int rows = request.Rows, columns = request.Columns, positions = g.OutH * g.OutW;
        int[] xShape = [g.N, g.C, g.H, g.W], wShape = [g.K, g.C, g.KH, g.KW], yShape = [g.N, g.K, g.OutH, g.OutW];
        float[] upstream = Rounded(yShape, generator);
        var gy = Tensor.FromArray(upstream, yShape);
        o.WriteLine();
        o.WriteLine($"7. upstream gradient G = dL/dy {Shape.Format(yShape)} (seeded), as a [{g.K} x {columns}] matrix like the product in step 4:");
        var gm = gy.Reshape(g.N, g.K, positions).Permute(1, 0, 2).Reshape(g.K, columns);
        o.Write(MatrixText.Matrix(gm.ToArray(), g.K, columns));
        o.WriteLine();
        var dw = gm.MatMul(cols.Transpose(0, 1));
        o.WriteLine($"8. dW = G * im2col^T [{g.K} x {rows}]: every weight's gradient sums G times the input value it met, over all positions:");
        o.Write(MatrixText.Matrix(dw.ToArray(), g.K, rows));
        o.WriteLine();
        var dcols = wm.Transpose(0, 1).MatMul(gm);
        o.WriteLine($"9. dcols = W^T * G [{rows} x {columns}]: the gradient of every entry of the im2col matrix:");
        o.Write(MatrixText.Matrix(dcols.ToArray(), rows, columns));
        o.WriteLine();
        var dx = F.Fold(dcols.Reshape(rows, g.N, positions).Permute(1, 0, 2), (g.H, g.W), (g.KH, g.KW), (1, 1),
                        (g.PadH, g.PadW), (g.StrideH, g.StrideW)).ToArray();
        o.WriteLine($"10. dx = F.Fold(dcols) (col2im) {Shape.Format(xShape)}: each column is added back where its patch came from, " +
                    "so a pixel read by several patches sums their gradients; padding taps are dropped:");
        o.Write(MatrixText.Planes(dx, g.N, g.C, g.H, g.W));
        o.WriteLine();

        var xa = Tensor.FromArray(x, xShape, requiresGrad: true);
        var wa = Tensor.FromArray(w, wShape, requiresGrad: true);
        F.Conv2d(xa, wa, null, g.StrideH, g.PadH).Mul(gy).Sum().Backward();
        o.WriteLine("11. checks against autograd (L = sum(y * G), so dL/dy = G):");
        bool ok = Check(o, "dW (GEMM) vs autograd's W.grad", dw.ToArray(), wa.Grad!.ToArray());
        ok &= Check(o, "dx (col2im) vs autograd's x.grad", dx, xa.Grad!.ToArray());
        return ok;
    }

    private static bool Check(TextWriter o, string what, float[] actual, float[] expected)
    {
        double max = 0;
        for (int i = 0; i < actual.Length; i++) max = Math.Max(max, Math.Abs(actual[i] - expected[i]));
        bool ok = max < Tolerance;
        o.WriteLine($"  max |difference| {what}: {max:0.0e+0} {(ok ? "ok" : $"MISMATCH (limit {Tolerance:0e+0})")}");
        return ok;
    }

    /// <summary>Seeded standard normals rounded to one decimal, so the printed matrices are easy to follow by hand.</summary>
    private static float[] Rounded(int[] shape, Generator generator)
    {
        using var t = Tensor.Randn(shape, generator);
        return t.ToArray().Select(v => MathF.Round(v * 10) / 10).ToArray();
    }
}
