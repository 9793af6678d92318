#:project ../Tensorlet.Core/Tensorlet.Core.csproj
// A two-layer net, x → Linear → ReLU → Linear → cross-entropy, with its backward pass written out by hand
// (the cs231n derivation) next to autograd's, and both checked against finite differences.
using Tensorlet;

const int N = 4, D = 5, H = 6, C = 3;
var gen = new Generator(42);
var x = Tensor.Randn([N, D], gen);
var labels = new float[] { 0, 2, 1, 2 };
var y = Tensor.FromArray(labels, [N]);
var w1 = Tensor.Randn([D, H], gen, requiresGrad: true);
var b1 = Tensor.Randn([H], gen, requiresGrad: true);
var w2 = Tensor.Randn([H, C], gen, requiresGrad: true);
var b2 = Tensor.Randn([C], gen, requiresGrad: true);
Tensor[] parameters = [w1, b1, w2, b2];
string[] names = ["W1", "b1", "W2", "b2"];

Tensor Loss(Tensor[] p) => F.CrossEntropy(F.Relu(x.MatMul(p[0]) + p[1]).MatMul(p[2]) + p[3], y);

// Autograd: run forward, call Backward(), read .Grad.
var loss = Loss(parameters);
loss.Backward();
Console.WriteLine($"loss = {loss.Item():F6}");

// By hand, with autograd off: keep the forward's intermediates and apply the chain rule layer by layer.
Tensor[] hand;
using (GradMode.NoGrad())
{
    var h = x.MatMul(w1) + b1;               // [N, H] pre-activation
    var a = h.Relu();                        // [N, H]
    var logits = a.MatMul(w2) + b2;          // [N, C]
    var p = logits.Softmax(1);
    var oneHot = new float[N * C];
    for (int i = 0; i < N; i++) oneHot[i * C + (int)labels[i]] = 1;
    var dLogits = (p - Tensor.FromArray(oneHot, [N, C])) / N;   // d(mean CE)/d logits = (softmax − onehot)/N
    var dW2 = a.T.MatMul(dLogits);           // logits = a·W2 + b2
    var db2 = dLogits.Sum(0);
    var dA = dLogits.MatMul(w2.T);
    var dH = dA * h.Gt(0f);                  // ReLU passes the gradient where its input was positive
    var dW1 = x.T.MatMul(dH);
    var db1 = dH.Sum(0);
    hand = [dW1, db1, dW2, db2];
}

Console.WriteLine("dW2 by hand:");
Console.WriteLine(hand[2]);
Console.WriteLine("dW2 by autograd:");
Console.WriteLine(w2.Grad);
for (int i = 0; i < parameters.Length; i++)
{
    var diff = (hand[i] - parameters[i].Grad!).Abs().Max().Item();
    Console.WriteLine($"max |hand − autograd| for {names[i]} = {diff:0.0e+00}");
}

// The hand-written gradients against central differences (L(θ + ε) − L(θ − ε)) / 2ε, element by element.
const float Eps = 1e-2f;
double worst = 0;
for (int i = 0; i < parameters.Length; i++)
{
    var values = parameters[i].ToArray();
    var g = hand[i].ToArray();
    for (int e = 0; e < values.Length; e++)
    {
        float orig = values[e];
        double lp = Perturbed(i, values, e, orig + Eps), lm = Perturbed(i, values, e, orig - Eps);
        Perturbed(i, values, e, orig);
        worst = Math.Max(worst, Math.Abs((lp - lm) / (2 * Eps) - g[e]));
    }
}
Console.WriteLine($"hand-written backward vs finite differences: max abs error {worst:0.0e+00} ({(worst < 1e-2 ? "ok" : "FAILED")})");

double Perturbed(int i, float[] values, int e, float v)
{
    values[e] = v;
    using var _ = GradMode.NoGrad();
    parameters[i].CopyFrom(Tensor.FromArray(values, parameters[i].Shape));
    return Loss(parameters).Item();
}

// GradCheck does the same for autograd's backward (contracting the output with a random tensor).
var check = GradCheck.Run(Loss, parameters);
Console.WriteLine($"autograd backward, GradCheck: {(check.Passed ? "passed" : "FAILED")}");
foreach (var e in check.Inputs) Console.WriteLine($"  {names[e.Input]}: max rel error {e.MaxRelError:0.0e+00}");
