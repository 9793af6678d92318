#:project ../Tensorlet.Core/Tensorlet.Core.csproj
// Your own op with your own backward: Swish with a learnable slope, y = x·σ(β·x), written as a Function
// (Tensorlet's torch.autograd.Function). Autograd calls its Backward like any built-in op's, and GradCheck grades it —
// including a copy with a deliberate mistake, which GradCheck catches.
using Tensorlet;

var gen = new Generator(3);
var x = Tensor.Randn([6], gen, requiresGrad: true);
var beta = Tensor.FromArray([1.5f], [1], requiresGrad: true);

var y = new Swish().Apply(x, beta);
Console.WriteLine("x = " + x);
Console.WriteLine("swish(x, β = 1.5) = " + y);
var loss = y.Sum();
Console.WriteLine("its graph:");
Console.Write(Autograd.Graph.ToText(loss, new Dictionary<Tensor, string> { [x] = "x", [beta] = "beta" }));
loss.Backward();
var (gx, gBeta) = (x.Grad!.ToArray(), beta.Grad!.Item());

// The same function built from built-in ops: autograd derives its backward by itself.
x.Grad = null;
beta.Grad = null;
(x * (beta * x).Sigmoid()).Sum().Backward();
Console.WriteLine($"max |dx (Swish.Backward) − dx (built-in ops)| = {gx.Zip(x.Grad!.ToArray(), (p, q) => Math.Abs(p - q)).Max():0.0e+00}");
Console.WriteLine($"|dβ (Swish.Backward) − dβ (built-in ops)| = {Math.Abs(gBeta - beta.Grad!.Item()):0.0e+00}");

foreach (Function op in new Function[] { new Swish(), new SwishForgotChainRule() })
{
    var check = GradCheck.Run(t => op.Apply(t[0], t[1]), [x, beta]);
    Console.WriteLine($"GradCheck {op.Name}: {(check.Passed ? "passed" : "FAILED")}, max rel error x {check.Inputs[0].MaxRelError:0.0e+00}, β {check.Inputs[1].MaxRelError:0.0e+00}");
}

/// <summary>y = x·σ(βx). With s = σ(βx) and σ' = s(1 − s): dy/dx = s + βx·s(1 − s), dy/dβ = x²·s(1 − s).</summary>
class Swish : Function
{
    protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs)
    {
        var (x, beta) = (inputs[0], inputs[1]);
        var s = (beta * x).Sigmoid();
        ctx.SaveForBackward(x, beta, s);
        return x * s;
    }

    protected override Tensor?[] Backward(FunctionContext ctx, Tensor g)
    {
        var (x, beta, s) = (ctx.SavedTensors[0], ctx.SavedTensors[1], ctx.SavedTensors[2]);
        var ds = s * (1f - s);
        var gx = g * (s + beta * x * ds);
        // β was broadcast over every element of x, so its gradient sums over them back to β's shape [1].
        var gBeta = (g * x * x * ds).Sum().Reshape(1);
        return [gx, gBeta];
    }
}

/// <summary>The same op with a typical mistake: the β·x inside σ is forgotten in dy/dx (the chain rule stops at σ).</summary>
class SwishForgotChainRule : Swish
{
    protected override Tensor?[] Backward(FunctionContext ctx, Tensor g)
    {
        var (x, s) = (ctx.SavedTensors[0], ctx.SavedTensors[2]);
        var grads = base.Backward(ctx, g);
        grads[0] = g * (s + x * s * (1f - s));
        return grads;
    }
}
