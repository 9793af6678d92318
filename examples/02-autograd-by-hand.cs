#:project ../Tensorlet.Core/Tensorlet.Core.csproj
// Autograd on one neuron, o = tanh(x1·w1 + x2·w2 + b): the graph it records, the chain rule applied by hand
// from the output back to every input, and the same gradients from Backward().
using Tensorlet;

Tensor Leaf(float v) => Tensor.Full([], v, requiresGrad: true);
var (x1, x2, w1, w2, b) = (Leaf(2f), Leaf(0f), Leaf(-3f), Leaf(1f), Leaf(6.8813735f));
var names = new Dictionary<Tensor, string> { [x1] = "x1", [x2] = "x2", [w1] = "w1", [w2] = "w2", [b] = "b" };

var n = x1 * w1 + x2 * w2 + b;
var o = n.Tanh();
Console.WriteLine($"n = x1·w1 + x2·w2 + b = {n.Item():F4}");
Console.WriteLine($"o = tanh(n) = {o.Item():F4}");
Console.WriteLine("the graph autograd recorded, from the output back to the leaves (Autograd.Graph.ToText):");
Console.Write(Autograd.Graph.ToText(o, names));

// By hand, output first: do/do = 1; tanh' = 1 − tanh², so do/dn = 1 − o²; a sum passes its gradient to every
// term unchanged; a product sends each factor the gradient times the other factor.
float vo = o.Item();
float dn = 1 - vo * vo;
var hand = new Dictionary<string, float>
{
    ["x1"] = dn * w1.Item(), ["w1"] = dn * x1.Item(),
    ["x2"] = dn * w2.Item(), ["w2"] = dn * x2.Item(),
    ["b"] = dn,
};
Console.WriteLine($"do/dn = 1 − o² = {dn:F4}");

o.Backward();
Console.WriteLine("input   by hand   by Backward()");
float worst = 0;
foreach (var (leaf, name) in names)
{
    float auto = leaf.Grad!.Item();
    worst = Math.Max(worst, Math.Abs(auto - hand[name]));
    Console.WriteLine($"{name,-5} {hand[name],9:F4} {auto,13:F4}");
}
Console.WriteLine($"max |by hand − Backward()| = {worst:0.0e+00}");

// A tensor used twice gets the sum of both paths' gradients: d(a·a + a)/da = 2a + 1.
var a = Leaf(3f);
var y = a * a + a;
Console.WriteLine("y = a·a + a reuses a; its graph shows the leaf under both uses:");
Console.Write(Autograd.Graph.ToText(y, new Dictionary<Tensor, string> { [a] = "a" }));
y.Backward();
Console.WriteLine($"dy/da at a = 3: by hand 2a + 1 = {2 * 3 + 1}, by Backward() = {a.Grad!.Item()}");
