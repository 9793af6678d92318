#:project ../Tensorlet.Core/Tensorlet.Core.csproj
// Backprop through a convolution written as im2col + GEMM: given the upstream gradient G = dL/dy,
//   dW = G · colsᵀ (a GEMM),  dcols = Wᵀ · G (a GEMM),  dx = col2im(dcols) = F.Fold(dcols),
// where col2im adds each column back onto the pixels it was copied from, so a pixel seen by several windows
// collects several contributions. All three are compared with autograd's Conv2d backward and graded by GradCheck.
using Tensorlet;

const int N = 1, C = 1, H = 4, W = 4, K = 2, Kh = 3, Kw = 3, Stride = 2, Pad = 1;
int oh = (H + 2 * Pad - Kh) / Stride + 1, ow = (W + 2 * Pad - Kw) / Stride + 1, l = oh * ow;
var gen = new Generator(5);
float[] Ints(int count) => Enumerable.Range(0, count).Select(_ => (float)(gen.NextUInt64() % 5) - 2f).ToArray();
var x = Tensor.FromArray(Ints(N * C * H * W), [N, C, H, W], requiresGrad: true);
var w = Tensor.FromArray(Ints(K * C * Kh * Kw), [K, C, Kh, Kw], requiresGrad: true);
var g = Tensor.FromArray(Ints(N * K * oh * ow), [N, K, oh, ow]);
Console.WriteLine($"x [{N}, {C}, {H}, {W}], w [{K}, {C}, {Kh}, {Kw}], stride {Stride}, padding {Pad} → y [{N}, {K}, {oh}, {ow}]");
Console.WriteLine("upstream gradient G = dL/dy:");
Console.WriteLine(g);

// Autograd's answer.
var y = F.Conv2d(x, w, stride: Stride, padding: Pad);
y.Backward(g);

Tensor dW, dx, dCols;
using (GradMode.NoGrad())
{
    var cols = F.Unfold(x, Kh, padding: Pad, stride: Stride).Squeeze(0);  // [C·Kh·Kw, L]
    var gMat = g.Reshape(K, l);                                             // [K, L]
    var wMat = w.Reshape(K, C * Kh * Kw);                                   // [K, C·Kh·Kw]
    // y = wMat · cols, so dwMat = G · colsᵀ: every output position adds its receptive field, weighted by its gradient.
    dW = gMat.MatMul(cols.T).Reshape(K, C, Kh, Kw);
    // and dcols = wMatᵀ · G: the gradient of every copied pixel in every column ...
    dCols = wMat.T.MatMul(gMat);
    // ... which col2im sums back onto the image, overlapping windows adding up.
    dx = F.Fold(dCols.Unsqueeze(0), (H, W), (Kh, Kw), (1, 1), (Pad, Pad), (Stride, Stride));
}
Console.WriteLine($"dcols = wᵀ · G [{C * Kh * Kw}, {l}]:");
Console.WriteLine(dCols);
Console.WriteLine("dx = col2im(dcols) = F.Fold(dcols):");
Console.WriteLine(dx);
Console.WriteLine("dx by autograd:");
Console.WriteLine(x.Grad);
Console.WriteLine("dW = G · colsᵀ:");
Console.WriteLine(dW);
Console.WriteLine($"max |dW (GEMM) − autograd| = {(dW - w.Grad!).Abs().Max().Item()}");
Console.WriteLine($"max |dx (col2im) − autograd| = {(dx - x.Grad!).Abs().Max().Item()}");

// GradCheck grades both: the library's convolution, and the same convolution composed from Unfold and MatMul
// (whose backward is autograd chaining Fold, the adjoint of Unfold, with the GEMMs above).
string[] names = ["x", "w"];
Tensor Composed(Tensor[] t) =>
    t[1].Reshape(K, C * Kh * Kw).MatMul(F.Unfold(t[0], Kh, padding: Pad, stride: Stride)).Reshape(N, K, oh, ow);
foreach (var (label, f) in new (string, Func<Tensor[], Tensor>)[]
         { ("F.Conv2d", t => F.Conv2d(t[0], t[1], stride: Stride, padding: Pad)), ("w · Unfold(x)", Composed) })
{
    var check = GradCheck.Run(f, [x, w]);
    Console.WriteLine($"GradCheck {label}: {(check.Passed ? "passed" : "FAILED")}, max rel error " +
                      string.Join(", ", check.Inputs.Select(e => $"{names[e.Input]} {e.MaxRelError:0.0e+00}")));
}
