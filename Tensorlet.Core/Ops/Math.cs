using Tensorlet.Kernels;
using Tensorlet.Kernels.Ops;

namespace Tensorlet;

// Element-wise functions y = f(x); each backward is g·f'(x), written with the saved input or output.
public sealed partial class Tensor
{
    /// <summary>e^x. dy/dx = y.</summary>
    public Tensor Exp()
    {
        var x = this;
        var y = UnaryKernel<Exp>();
        return Record(y, "ExpBackward", [x], g => x.AccumulateGrad(g.Mul(y)));
    }

    /// <summary>ln x. dy/dx = 1/x.</summary>
    public Tensor Log()
    {
        var x = this;
        return Record(UnaryKernel<Log>(), "LogBackward", [x], g => x.AccumulateGrad(g.Div(x)));
    }

    /// <summary>√x. dy/dx = 1/(2y).</summary>
    public Tensor Sqrt()
    {
        var x = this;
        var y = UnaryKernel<Sqrt>();
        return Record(y, "SqrtBackward", [x], g => x.AccumulateGrad(g.Div(y).Mul(0.5f)));
    }

    /// <summary>|x|. dy/dx = sign(x) (0 at 0, as PyTorch).</summary>
    public Tensor Abs()
    {
        var x = this;
        return Record(UnaryKernel<Abs>(), "AbsBackward", [x], g => x.AccumulateGrad(g.Mul(x.UnaryKernel<Sign>())));
    }

    /// <summary>min(max(x, lo), hi). The gradient passes where lo ≤ x ≤ hi.</summary>
    public Tensor Clamp(float min = float.NegativeInfinity, float max = float.PositiveInfinity)
    {
        if (min > max) throw new ArgumentException($"Clamp: min {min} is greater than max {max}.");
        var x = this;
        return Record(UnaryKernel<Clamp>(min, max), "ClampBackward", [x], g =>
            x.AccumulateGrad(BinaryKernel<ClampBackward>(g, x, "ClampBackward", min, max)));
    }

    /// <summary>max(x, 0). relu'(0) = 0.</summary>
    public Tensor Relu()
    {
        var x = this;
        return Record(UnaryKernel<Relu>(), "ReluBackward", [x], g =>
            x.AccumulateGrad(BinaryKernel<ReluBackward>(g, x, "ReluBackward")));
    }

    /// <summary>
    /// max(this + other, 0) (broadcast), the same as <c>Add(other).Relu()</c> but in one pass over memory: the tail of a
    /// residual block. The gradient passes to both inputs where the output is positive.
    /// </summary>
    public Tensor AddRelu(Tensor other)
    {
        var (a, b) = (this, other);
        var y = BinaryKernel<AddRelu>(a, b, "AddRelu");
        return Record(y, "AddReluBackward", [a, b], g =>
        {
            // y > 0 exactly where a + b > 0, so the output masks the gradient as the sum would.
            var masked = BinaryKernel<ReluBackward>(g, y, "AddReluBackward");
            a.AccumulateGrad(masked.SumTo(a._shape));
            b.AccumulateGrad(masked.SumTo(b._shape));
        });
    }

    /// <summary>x if x &gt; 0 else slope·x. The derivative at 0 is the slope, as PyTorch.</summary>
    public Tensor LeakyRelu(float negativeSlope = 0.01f)
    {
        var x = this;
        return Record(UnaryKernel<LeakyRelu>(negativeSlope), "LeakyReluBackward", [x], g =>
            x.AccumulateGrad(BinaryKernel<LeakyReluBackward>(g, x, "LeakyReluBackward", negativeSlope)));
    }

    /// <summary>1/(1 + e^−x). dy/dx = y(1 − y).</summary>
    public Tensor Sigmoid()
    {
        var x = this;
        var y = UnaryKernel<Sigmoid>();
        return Record(y, "SigmoidBackward", [x], g =>
            x.AccumulateGrad(BinaryKernel<SigmoidBackward>(g, y, "SigmoidBackward")));
    }

    /// <summary>tanh x. dy/dx = 1 − y².</summary>
    public Tensor Tanh()
    {
        var x = this;
        var y = UnaryKernel<Tanh>();
        return Record(y, "TanhBackward", [x], g =>
            x.AccumulateGrad(BinaryKernel<TanhBackward>(g, y, "TanhBackward")));
    }

    /// <summary>x·σ(x) (SiLU, swish). dy/dx = σ(x)·(1 + x·(1 − σ(x))); silu'(0) = 0.5.</summary>
    public Tensor Silu()
    {
        var x = this;
        return Record(UnaryKernel<Silu>(), "SiluBackward", [x], g =>
            x.AccumulateGrad(BinaryKernel<SiluBackward>(g, x, "SiluBackward")));
    }
}
