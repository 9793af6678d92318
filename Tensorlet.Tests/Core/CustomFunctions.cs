namespace Tensorlet.Tests.Core;

/// <summary>Custom ops written through the public <see cref="Function"/> API, shared by the tests that need one.</summary>
public static class CustomFunctions
{
    /// <summary>swish(x) = x·σ(x), with d/dx = σ(x)·(1 + x·(1 − σ(x))).</summary>
    public sealed class Swish : Function
    {
        protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs)
        {
            var s = inputs[0].Sigmoid();
            ctx.SaveForBackward(inputs[0], s);
            return inputs[0].Mul(s);
        }

        protected override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput)
        {
            var (x, s) = (ctx.SavedTensors[0], ctx.SavedTensors[1]);
            return [gradOutput.Mul(s.Mul(x.Mul(s.Neg().Add(1f)).Add(1f)))];
        }
    }

    /// <summary>clamp(x, lo, hi): the gradient passes where lo &lt; x &lt; hi and is 0 where the value was clipped.</summary>
    public sealed class Clamp(float lo, float hi) : Function
    {
        protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs)
        {
            var x = inputs[0];
            var inside = x.Gt(lo).Mul(x.Lt(hi));
            ctx.SaveForBackward(inside);
            return x.Clamp(lo, hi);
        }

        protected override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput) => [gradOutput.Mul(ctx.SavedTensors[0])];
    }

    /// <summary>x², with a deliberately wrong derivative (x instead of 2x): what GradCheck must catch.</summary>
    public sealed class WrongSquare : Function
    {
        protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs)
        {
            ctx.SaveForBackward(inputs[0]);
            return inputs[0].Mul(inputs[0]);
        }

        protected override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput) => [gradOutput.Mul(ctx.SavedTensors[0])];
    }
}
