using Tensorlet.Kernels;
using Tensorlet.Kernels.Ops;

namespace Tensorlet;

// The kernels behind every element-wise op: allocate the output, broadcast, run one backend call.
public sealed partial class Tensor
{
    internal static Tensor BinaryKernel<TOp>(Tensor a, Tensor b, string name, float alpha = 0, float beta = 0) where TOp : struct, IBinaryOp<TOp>
    {
        CheckSameDevice(name, a, b);
        var shape = Tensorlet.Shape.Broadcast(a._shape, b._shape, name);
        var o = Empty(shape, a.Device);
        a.Backend.Binary<TOp>(a.BroadcastView(shape), b.BroadcastView(shape), o.AsStrided(), alpha, beta);
        return o;
    }

    internal Tensor UnaryKernel<TOp>(float alpha = 0, float beta = 0) where TOp : struct, IUnaryOp<TOp>
    {
        var o = Empty(_shape, Device);
        Backend.Unary<TOp>(AsStrided(), o.AsStrided(), alpha, beta);
        return o;
    }

    /// <summary>Sums a broadcast gradient back down to <paramref name="shape"/> (the adjoint of broadcasting).</summary>
    internal Tensor SumTo(int[] shape)
    {
        if (Tensorlet.Shape.SameShape(_shape, shape)) return this;
        int lead = Rank - shape.Length;
        var dims = new List<int>();
        for (int i = 0; i < Rank; i++)
            if (i < lead || (shape[i - lead] == 1 && _shape[i] != 1)) dims.Add(i);
        var summed = dims.Count == 0 ? this : Sum(dims.ToArray(), keepDim: true);
        return summed.Reshape(shape);
    }

    // ---- in-place updates (outside autograd: optimizers, gradient accumulation) -------------------------

    private void CheckInPlace(string op)
    {
        ThrowIfDisposed();
        if (GradMode.IsEnabled && RequiresGrad)
            throw new InvalidOperationException(
                $"{op}: in-place update of a tensor that requires grad (shape {Tensorlet.Shape.Format(_shape)}); " +
                "do it inside GradMode.NoGrad() or on a Detach()ed tensor.");
    }

    internal Tensor BinaryInPlace<TOp>(Tensor other, string name, float alpha = 0, float beta = 0) where TOp : struct, IBinaryOp<TOp>
    {
        CheckInPlace(name);
        CheckSameDevice(name, this, other);
        Tensorlet.Shape.Broadcast(_shape, other._shape, name);
        Backend.Binary<TOp>(AsStrided(), other.BroadcastView(_shape), AsStrided(), alpha, beta);
        return this;
    }

    internal Tensor UnaryInPlace<TOp>(string name, float alpha = 0, float beta = 0) where TOp : struct, IUnaryOp<TOp>
    {
        CheckInPlace(name);
        Backend.Unary<TOp>(AsStrided(), AsStrided(), alpha, beta);
        return this;
    }

    /// <summary>this += alpha · other (other broadcast to this shape). Returns this.</summary>
    public Tensor AddInPlace(Tensor other, float alpha = 1f) =>
        alpha == 1f ? BinaryInPlace<Add>(other, "AddInPlace") : BinaryInPlace<AddScaled>(other, "AddInPlace", alpha);

    /// <summary>this ⊙= other (broadcast). Returns this.</summary>
    public Tensor MulInPlace(Tensor other) => BinaryInPlace<Mul>(other, "MulInPlace");

    /// <summary>this ·= factor. Returns this.</summary>
    public Tensor MulInPlace(float factor) => UnaryInPlace<MulScalar>("MulInPlace", factor);

    /// <summary>this = src (broadcast to this shape). Returns this.</summary>
    public Tensor CopyFrom(Tensor src)
    {
        CheckInPlace("CopyFrom");
        CopyFromNoGrad(src);
        return this;
    }

    /// <summary>Sets every element to <paramref name="value"/>. Returns this.</summary>
    public Tensor FillInPlace(float value)
    {
        CheckInPlace("FillInPlace");
        Backend.Fill(AsStrided(), value);
        return this;
    }

    /// <summary>Sets every element to 0. Returns this.</summary>
    public Tensor ZeroInPlace() => FillInPlace(0f);

    // ---- comparisons: masks of 0/1, not differentiable ---------------------------------------------------

    public Tensor Eq(Tensor other) => BinaryKernel<Equal>(this, other, "Eq");
    public Tensor Gt(Tensor other) => BinaryKernel<Greater>(this, other, "Gt");
    public Tensor Lt(Tensor other) => BinaryKernel<Greater>(other, this, "Lt");
    public Tensor Gt(float value) => Gt(Full([], value, Device));
    public Tensor Lt(float value) => Lt(Full([], value, Device));
    public Tensor Eq(float value) => Eq(Full([], value, Device));
}
