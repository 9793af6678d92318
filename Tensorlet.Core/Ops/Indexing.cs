namespace Tensorlet;

// Selection ops. Gather's backward scatters g back to the gathered positions (adding where an index repeats);
// Where routes g to whichever input was chosen; Pad's backward is the interior slice of g.
public sealed partial class Tensor
{
    /// <summary>
    /// out[i][j][k] = x[i][index[i][j][k]][k] for dim = 1 (and likewise for other dims), like torch.gather.
    /// <paramref name="index"/> has this tensor's rank, holds integers, and is no larger in the other dims.
    /// </summary>
    public Tensor Gather(int dim, Tensor index)
    {
        CheckSameDevice("Gather", this, index);
        int d = Tensorlet.Shape.WrapDim(dim, Rank, "Gather");
        if (index.Rank != Rank)
            throw new ArgumentException($"Gather: index of shape {Tensorlet.Shape.Format(index._shape)} must have the rank of the input {Tensorlet.Shape.Format(_shape)}.");
        if (Rank == 0) return Reshape(1).Gather(0, index.Reshape(1)).Reshape();
        for (int k = 0; k < Rank; k++)
            if (k != d && index._shape[k] > _shape[k])
                throw new ArgumentException(
                    $"Gather: index shape {Tensorlet.Shape.Format(index._shape)} exceeds input shape {Tensorlet.Shape.Format(_shape)} in dimension {k}.");
        var x = this;
        // The kernel wants index's shape outside dim: narrow the input to it (a view), and pass every operand's own layout.
        Tensor src;
        using (GradMode.NoGrad())
        {
            src = this;
            for (int k = 0; k < Rank; k++)
                if (k != d && index._shape[k] < _shape[k]) src = src.Narrow(k, 0, index._shape[k]);
        }
        var output = Empty(index._shape, Device);
        if (output.Count > 0) Backend.Gather(src.AsStrided(), index.AsStrided(), d, output.AsStrided());
        var srcShape = src._shape;
        return Record(output, "GatherBackward", [x], g =>
        {
            // Scatter straight into the part of a zero gradient that the narrowed input covered.
            var full = Zeros(x._shape, x.Device);
            var region = full;
            for (int k = 0; k < x.Rank; k++)
                if (srcShape[k] < x._shape[k]) region = region.Narrow(k, 0, srcShape[k]);
            if (g.Count > 0) x.Backend.ScatterAdd(g.AsStrided(), index.AsStrided(), d, region.AsStrided());
            x.AccumulateGrad(full);
        });
    }

    /// <summary>Element-wise choice: <paramref name="a"/> where <paramref name="condition"/> ≠ 0, else <paramref name="b"/> (all broadcast).</summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b)
    {
        CheckSameDevice("Where", condition, a);
        CheckSameDevice("Where", a, b);
        var shape = Tensorlet.Shape.Broadcast(Tensorlet.Shape.Broadcast(condition._shape, a._shape, "Where"), b._shape, "Where");
        var output = Empty(shape, a.Device);
        a.Backend.Where(condition.BroadcastView(shape), a.BroadcastView(shape), b.BroadcastView(shape), output.AsStrided());
        return Record(output, "WhereBackward", [a, b], g =>
        {
            var zero = Scalar(0f, g.Device);
            if (a.RequiresGrad) a.AccumulateGrad(Where(condition, g, zero).SumTo(a._shape));
            if (b.RequiresGrad) b.AccumulateGrad(Where(condition, zero, g).SumTo(b._shape));
        });
    }

    /// <summary>This tensor with <paramref name="value"/> where <paramref name="mask"/> ≠ 0 (mask broadcasts); no gradient flows to filled positions.</summary>
    public Tensor MaskedFill(Tensor mask, float value)
    {
        var shape = Tensorlet.Shape.Broadcast(mask._shape, _shape, "MaskedFill");
        if (!Tensorlet.Shape.SameShape(shape, _shape))
            throw new ArgumentException($"MaskedFill: mask of shape {Tensorlet.Shape.Format(mask._shape)} does not broadcast to the input shape {Tensorlet.Shape.Format(_shape)}.");
        return Where(mask, Scalar(value, Device), this);
    }

    /// <summary>
    /// Pads with a constant, like torch.nn.functional.pad: <paramref name="pads"/> = (left, right) for the last dim,
    /// then (top, bottom) for the one before, and so on. Pads must be non-negative.
    /// </summary>
    public Tensor Pad(int[] pads, float value = 0f)
    {
        if (pads.Length % 2 != 0 || pads.Length / 2 > Rank)
            throw new ArgumentException($"Pad: {pads.Length} pad values for a tensor of rank {Rank}; give (before, after) pairs for up to {Rank} trailing dims.");
        if (pads.Any(p => p < 0)) throw new ArgumentException($"Pad: negative padding [{string.Join(", ", pads)}] is not supported; use Slice.");
        var shape = Shape;
        for (int i = 0; i < pads.Length / 2; i++) shape[Rank - 1 - i] += pads[2 * i] + pads[2 * i + 1];
        var output = Full(shape, value, Device);
        var x = this;
        Tensor Interior(Tensor t)
        {
            for (int i = 0; i < pads.Length / 2; i++) t = t.Narrow(Rank - 1 - i, pads[2 * i], _shape[Rank - 1 - i]);
            return t;
        }
        using (GradMode.NoGrad()) Interior(output).CopyFromNoGrad(this);
        return Record(output, "PadBackward", [x], g => x.AccumulateGrad(Interior(g)));
    }
}
