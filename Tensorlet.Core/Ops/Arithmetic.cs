using Tensorlet.Kernels;
using Tensorlet.Kernels.Ops;

namespace Tensorlet;

// Arithmetic with broadcasting. For z = f(a, b) the backward receives dL/dz = g and gives
// dL/da = g·∂f/∂a and dL/db = g·∂f/∂b, each summed back to its input's shape (SumTo).
public sealed partial class Tensor
{
    /// <summary>a + b (broadcast). ∂/∂a = 1, ∂/∂b = 1.</summary>
    public Tensor Add(Tensor other)
    {
        var (a, b) = (this, other);
        return Record(BinaryKernel<Add>(a, b, "Add"), "AddBackward", [a, b], g =>
        {
            a.AccumulateGrad(g.SumTo(a._shape));
            b.AccumulateGrad(g.SumTo(b._shape));
        });
    }

    /// <summary>a + α·b (broadcast), like <c>torch.add(a, b, alpha=α)</c>.</summary>
    public Tensor Add(Tensor other, float alpha)
    {
        var (a, b) = (this, other);
        return Record(BinaryKernel<AddScaled>(a, b, "Add", alpha), "AddBackward", [a, b], g =>
        {
            a.AccumulateGrad(g.SumTo(a._shape));
            b.AccumulateGrad(g.SumTo(b._shape).Mul(alpha));
        });
    }

    /// <summary>a − b (broadcast). ∂/∂a = 1, ∂/∂b = −1.</summary>
    public Tensor Sub(Tensor other)
    {
        var (a, b) = (this, other);
        return Record(BinaryKernel<Sub>(a, b, "Sub"), "SubBackward", [a, b], g =>
        {
            a.AccumulateGrad(g.SumTo(a._shape));
            b.AccumulateGrad(g.SumTo(b._shape).Neg());
        });
    }

    /// <summary>a ⊙ b (broadcast). ∂/∂a = b, ∂/∂b = a.</summary>
    public Tensor Mul(Tensor other)
    {
        var (a, b) = (this, other);
        return Record(BinaryKernel<Mul>(a, b, "Mul"), "MulBackward", [a, b], g =>
        {
            if (a.RequiresGrad) a.AccumulateGrad(g.Mul(b).SumTo(a._shape));
            if (b.RequiresGrad) b.AccumulateGrad(g.Mul(a).SumTo(b._shape));
        });
    }

    /// <summary>a / b (broadcast). ∂/∂a = 1/b, ∂/∂b = −a/b².</summary>
    public Tensor Div(Tensor other)
    {
        var (a, b) = (this, other);
        return Record(BinaryKernel<Div>(a, b, "Div"), "DivBackward", [a, b], g =>
        {
            var gOverB = g.Div(b);
            a.AccumulateGrad(gOverB.SumTo(a._shape));
            if (b.RequiresGrad) b.AccumulateGrad(gOverB.Mul(a).Div(b).Neg().SumTo(b._shape));
        });
    }

    /// <summary>a^b element-wise (broadcast). ∂/∂a = b·a^(b−1), ∂/∂b = a^b·ln a (0 where a = 0, as PyTorch).</summary>
    public Tensor Pow(Tensor exponent)
    {
        var (a, b) = (this, exponent);
        var y = BinaryKernel<Pow>(a, b, "Pow");
        return Record(y, "PowBackward", [a, b], g =>
        {
            if (a.RequiresGrad)
                a.AccumulateGrad(g.Mul(b).Mul(BinaryKernel<Pow>(a, b.AddScalarNoGrad(-1f), "Pow")).SumTo(a._shape));
            if (b.RequiresGrad)
            {
                var logA = a.UnaryKernel<Log>();
                var term = g.Mul(y).Mul(logA);
                b.AccumulateGrad(Where(a.Eq(0f), ZerosLike(term), term).SumTo(b._shape));
            }
        });
    }

    /// <summary>x^p for a scalar p. ∂/∂x = p·x^(p−1).</summary>
    public Tensor Pow(float p)
    {
        var x = this;
        return Record(UnaryKernel<PowScalar>(p), "PowBackward", [x], g =>
            x.AccumulateGrad(g.Mul(x.UnaryKernel<PowScalar>(p - 1f)).Mul(p)));
    }

    /// <summary>−x.</summary>
    public Tensor Neg()
    {
        var x = this;
        return Record(UnaryKernel<Neg>(), "NegBackward", [x], g => x.AccumulateGrad(g.Neg()));
    }

    /// <summary>x + c.</summary>
    public Tensor Add(float c)
    {
        var x = this;
        return Record(UnaryKernel<AddScalar>(c), "AddBackward", [x], x.AccumulateGrad);
    }

    /// <summary>c·x.</summary>
    public Tensor Mul(float c)
    {
        var x = this;
        return Record(UnaryKernel<MulScalar>(c), "MulBackward", [x], g => x.AccumulateGrad(g.Mul(c)));
    }

    public Tensor Sub(float c) => Add(-c);
    public Tensor Div(float c) => Mul(1f / c);

    private Tensor AddScalarNoGrad(float c) => UnaryKernel<AddScalar>(c);

    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);
    public static Tensor operator -(Tensor a, Tensor b) => a.Sub(b);
    public static Tensor operator *(Tensor a, Tensor b) => a.Mul(b);
    public static Tensor operator /(Tensor a, Tensor b) => a.Div(b);
    public static Tensor operator -(Tensor a) => a.Neg();
    public static Tensor operator +(Tensor a, float c) => a.Add(c);
    public static Tensor operator +(float c, Tensor a) => a.Add(c);
    public static Tensor operator -(Tensor a, float c) => a.Add(-c);
    public static Tensor operator -(float c, Tensor a) => a.Neg().Add(c);
    public static Tensor operator *(Tensor a, float c) => a.Mul(c);
    public static Tensor operator *(float c, Tensor a) => a.Mul(c);
    public static Tensor operator /(Tensor a, float c) => a.Mul(1f / c);
    public static Tensor operator /(float c, Tensor a) => a.Pow(-1f).Mul(c);
}
