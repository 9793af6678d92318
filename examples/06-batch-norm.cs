#:project ../Tensorlet.Core/Tensorlet.Core.csproj
// Batch norm over the channels of [N, C, H, W]: forward written out from its definition, backward derived
// by hand, both compared with Tensorlet's BatchNorm2d op and graded by GradCheck.
using Tensorlet;

const int N = 2, C = 3, H = 2, W = 2;
const float Eps = 1e-5f;
var gen = new Generator(7);
var x = (Tensor.Randn([N, C, H, W], gen) * 2f + 1f).Detach();
x.RequiresGrad = true;
var gamma = Tensor.FromArray([1.5f, 0.5f, -1f], [C], requiresGrad: true);
var beta = Tensor.FromArray([0.1f, 0.2f, 0.3f], [C], requiresGrad: true);
var dy = Tensor.Randn([N, C, H, W], gen);
const int M = N * H * W;   // values per channel

// Forward by hand: per channel μ = mean, σ² = biased variance, x̂ = (x − μ)/√(σ² + ε), y = γ·x̂ + β.
Tensor xHat, invStd, yHand;
using (GradMode.NoGrad())
{
    int[] dims = [0, 2, 3];
    var mu = x.Mean(dims, keepDim: true);
    var centered = x - mu;
    var variance = (centered * centered).Mean(dims, keepDim: true);
    invStd = (variance + Eps).Pow(-0.5f);
    xHat = centered * invStd;
    yHand = xHat * gamma.View(1, C, 1, 1) + beta.View(1, C, 1, 1);
    Console.WriteLine("per-channel mean     " + mu.Flatten());
    Console.WriteLine("per-channel variance " + variance.Flatten());
}

var y = F.BatchNorm(x, null, null, gamma, beta, training: true, eps: Eps);
Console.WriteLine($"forward: max |by hand − F.BatchNorm| = {(yHand - y).Abs().Max().Item():0.0e+00}");

// Backward by hand. μ and σ² depend on every x of the channel, so the gradient has three terms:
//   dx = γ·invstd/M · (M·dy − Σdy − x̂·Σ(dy·x̂)),  dγ = Σ dy·x̂,  dβ = Σ dy   (sums over N, H, W).
Tensor dxHand, dGammaHand, dBetaHand;
using (GradMode.NoGrad())
{
    int[] dims = [0, 2, 3];
    var sumDy = dy.Sum(dims, keepDim: true);
    var sumDyXHat = (dy * xHat).Sum(dims, keepDim: true);
    dxHand = gamma.View(1, C, 1, 1) * invStd / M * (dy * M - sumDy - xHat * sumDyXHat);
    dGammaHand = sumDyXHat.Flatten();
    dBetaHand = sumDy.Flatten();
}

y.Backward(dy);
Console.WriteLine($"backward: max |dx by hand − autograd| = {(dxHand - x.Grad!).Abs().Max().Item():0.0e+00}");
Console.WriteLine($"backward: max |dγ by hand − autograd| = {(dGammaHand - gamma.Grad!).Abs().Max().Item():0.0e+00}");
Console.WriteLine($"backward: max |dβ by hand − autograd| = {(dBetaHand - beta.Grad!).Abs().Max().Item():0.0e+00}");
Console.WriteLine("dγ = " + gamma.Grad);
Console.WriteLine("dβ = " + beta.Grad);

// A check on the derivation: since y is shift- and scale-invariant in x per channel, Σ dx over a channel is 0.
Console.WriteLine("Σ dx per channel (should be ~0): " + x.Grad!.Sum([0, 2, 3]));

var check = GradCheck.Run(t => F.BatchNorm(t[0], null, null, t[1], t[2], training: true, eps: Eps), [x, gamma, beta]);
string[] names = ["x", "γ", "β"];
Console.WriteLine($"GradCheck: {(check.Passed ? "passed" : "FAILED")}");
foreach (var e in check.Inputs) Console.WriteLine($"  {names[e.Input]}: max rel error {e.MaxRelError:0.0e+00}");
