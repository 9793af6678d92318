#:project ../Tensorlet.Core/Tensorlet.Core.csproj
// Convolution three ways on one small input: the seven nested loops of its definition, im2col (F.Unfold) times the
// weight matrix, and Tensorlet's Conv2d layer. Small integer values keep every product exact, so all three agree to 0.
using Tensorlet;
using Tensorlet.NN;

const int N = 1, C = 2, H = 3, W = 3, K = 2, Kh = 3, Kw = 3, Stride = 1, Pad = 1;
int oh = (H + 2 * Pad - Kh) / Stride + 1, ow = (W + 2 * Pad - Kw) / Stride + 1;
var gen = new Generator(4);
float[] Ints(int count) => Enumerable.Range(0, count).Select(_ => (float)(gen.NextUInt64() % 5) - 2f).ToArray();
var x = Tensor.FromArray(Ints(N * C * H * W), [N, C, H, W]);
var w = Tensor.FromArray(Ints(K * C * Kh * Kw), [K, C, Kh, Kw]);
Console.WriteLine($"input x [{N}, {C}, {H}, {W}]:");
Console.WriteLine(x);
Console.WriteLine($"weights w [{K}, {C}, {Kh}, {Kw}]:");
Console.WriteLine(w);

// 1. The definition: out[n, k, i, j] = Σ_c Σ_u Σ_v x[n, c, i·s + u − p, j·s + v − p] · w[k, c, u, v].
var xs = x.ToArray();
var ws = w.ToArray();
var loop = new float[N * K * oh * ow];
for (int n = 0; n < N; n++)
for (int k = 0; k < K; k++)
for (int i = 0; i < oh; i++)
for (int j = 0; j < ow; j++)
{
    float sum = 0;
    for (int c = 0; c < C; c++)
    for (int u = 0; u < Kh; u++)
    for (int v = 0; v < Kw; v++)
    {
        int r = i * Stride + u - Pad, q = j * Stride + v - Pad;
        if (r >= 0 && r < H && q >= 0 && q < W)
            sum += xs[((n * C + c) * H + r) * W + q] * ws[((k * C + c) * Kh + u) * Kw + v];
    }
    loop[((n * K + k) * oh + i) * ow + j] = sum;
}
var byLoop = Tensor.FromArray(loop, [N, K, oh, ow]);
Console.WriteLine("1. convolution as a loop:");
Console.WriteLine(byLoop);

// 2. im2col: each output position's receptive field becomes one column (C·Kh·Kw rows, OH·OW columns) ...
var cols = F.Unfold(x, Kh, padding: Pad, stride: Stride);
Console.WriteLine($"2. im2col matrix, F.Unfold(x) [{string.Join(", ", cols.Shape)}] (row = c·{Kh * Kw} + u·{Kw} + v, column = i·{ow} + j):");
Console.WriteLine(cols.Squeeze(0));
// ... each filter becomes one row, and the convolution is one matrix product.
var wMat = w.Reshape(K, C * Kh * Kw);
Console.WriteLine($"   weight matrix w.Reshape({K}, {C * Kh * Kw}):");
Console.WriteLine(wMat);
var product = wMat.MatMul(cols.Squeeze(0));
Console.WriteLine($"   weight matrix × im2col matrix [{K}, {oh * ow}]:");
Console.WriteLine(product);
var byIm2col = product.Reshape(N, K, oh, ow);
Console.WriteLine($"   reshaped to [{N}, {K}, {oh}, {ow}]:");
Console.WriteLine(byIm2col);

// 3. The library's layer, given the same weights.
var conv = new Conv2d(C, K, Kh, stride: Stride, padding: Pad, bias: false);
using (GradMode.NoGrad()) conv.Weight.CopyFrom(w);
var byLayer = conv.Call(x);
Console.WriteLine("3. Conv2d layer:");
Console.WriteLine(byLayer);

Console.WriteLine($"max |loop − im2col| = {(byLoop - byIm2col).Abs().Max().Item()}");
Console.WriteLine($"max |loop − Conv2d| = {(byLoop - byLayer).Abs().Max().Item()}");
