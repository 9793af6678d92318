using Tensorlet.Kernels;
using Tensorlet.Kernels.Ops;

namespace Tensorlet;

// Reductions. Sum's backward broadcasts g back over the reduced dims (times 1/n for a mean); max/min over a
// dim send g to the index that won (the first one on ties); a full max/min shares g evenly among ties, as PyTorch.
public sealed partial class Tensor
{
    /// <summary>Sum of all elements (a scalar tensor).</summary>
    public Tensor Sum() => Sum(AllDims(), keepDim: false);

    /// <summary>Sum over one dimension.</summary>
    public Tensor Sum(int dim, bool keepDim = false) => Sum([dim], keepDim);

    /// <summary>Sum over <paramref name="dims"/>; with <paramref name="keepDim"/> they stay as size 1.</summary>
    public Tensor Sum(int[] dims, bool keepDim = false) => SumScaled(dims, keepDim, mean: false, "Sum");

    /// <summary>Mean of all elements.</summary>
    public Tensor Mean() => Mean(AllDims(), keepDim: false);

    /// <summary>Mean over one dimension.</summary>
    public Tensor Mean(int dim, bool keepDim = false) => Mean([dim], keepDim);

    /// <summary>Mean over <paramref name="dims"/>.</summary>
    public Tensor Mean(int[] dims, bool keepDim = false) => SumScaled(dims, keepDim, mean: true, "Mean");

    private Tensor SumScaled(int[] dims, bool keepDim, bool mean, string op)
    {
        var d = NormalizeDims(dims, op);
        int n = 1;
        foreach (int k in d) n *= _shape[k];
        float scale = mean ? 1f / n : 1f;
        var x = this;
        var keepShape = KeepDimShape(d);
        var y = ReduceKernel(ReduceOp.Sum, d, scale, keepShape);
        if (!keepDim) y = y.ViewNoGrad(DropDims(d));
        return Record(y, mean ? "MeanBackward" : "SumBackward", [x], g =>
        {
            var expanded = g.Reshape(keepShape).Expand(x._shape);
            x.AccumulateGrad(mean ? expanded.Mul(scale) : expanded);
        });
    }

    /// <summary>Largest element (gradient shared evenly among ties).</summary>
    public Tensor Max() => ExtremeAll(ReduceOp.Max, "Max");

    /// <summary>Smallest element (gradient shared evenly among ties).</summary>
    public Tensor Min() => ExtremeAll(ReduceOp.Min, "Min");

    /// <summary>Largest values along <paramref name="dim"/> and their indices (as float tensors, like torch.max(x, dim)).</summary>
    public (Tensor Values, Tensor Indices) Max(int dim, bool keepDim = false) => ExtremeDim(ReduceOp.Max, ReduceOp.ArgMax, dim, keepDim, "Max");

    /// <summary>Smallest values along <paramref name="dim"/> and their indices.</summary>
    public (Tensor Values, Tensor Indices) Min(int dim, bool keepDim = false) => ExtremeDim(ReduceOp.Min, ReduceOp.ArgMin, dim, keepDim, "Min");

    /// <summary>Index of the first maximum along <paramref name="dim"/> (floats holding integers).</summary>
    public Tensor ArgMax(int dim, bool keepDim = false) => ArgDim(ReduceOp.ArgMax, dim, keepDim, "ArgMax");

    /// <summary>Index of the first maximum of the flattened tensor.</summary>
    public Tensor ArgMax() => Reshape(-1).ArgMax(0);

    /// <summary>Index of the first minimum along <paramref name="dim"/>.</summary>
    public Tensor ArgMin(int dim, bool keepDim = false) => ArgDim(ReduceOp.ArgMin, dim, keepDim, "ArgMin");

    private Tensor ExtremeAll(ReduceOp op, string name)
    {
        if (Count == 0) throw new InvalidOperationException($"{name}() of an empty tensor.");
        var x = this;
        var y = ReduceKernel(op, AllDims(), 1f, KeepDimShape(AllDims())).ViewNoGrad([]);
        return Record(y, name + "Backward", [x], g =>
        {
            var mask = x.Eq(y);
            x.AccumulateGrad(mask.Mul(g.Div(mask.Sum())));
        });
    }

    private (Tensor, Tensor) ExtremeDim(ReduceOp op, ReduceOp argOp, int dim, bool keepDim, string name)
    {
        int d = Tensorlet.Shape.WrapDim(dim, Rank, name);
        if (Rank == 0) return Reshape(1).ExtremeDim(op, argOp, 0, keepDim: false, name);
        if (_shape[d] == 0) throw new InvalidOperationException($"{name}: dimension {d} of shape {Tensorlet.Shape.Format(_shape)} is empty.");
        var keepShape = KeepDimShape([d]);
        var indices = ReduceKernel(argOp, [d], 1f, keepShape);
        var values = ReduceKernel(op, [d], 1f, keepShape);
        var x = this;
        if (!keepDim)
        {
            values = values.ViewNoGrad(DropDims([d]));
            indices = indices.ViewNoGrad(DropDims([d]));
        }
        var savedIdx = indices;
        values = Record(values, name + "Backward", [x], g =>
        {
            // g goes to the winner's position: a ScatterAdd along d of g (kept-dim shape) at the saved indices.
            var full = Zeros(x._shape, x.Device);
            x.Backend.ScatterAdd(g.Reshape(keepShape).AsStrided(), StridedView.Contiguous(savedIdx.Buffer, savedIdx.Offset, keepShape), d,
                                 full.AsStrided());
            x.AccumulateGrad(full);
        });
        return (values, indices);
    }

    private Tensor ArgDim(ReduceOp op, int dim, bool keepDim, string name)
    {
        int d = Tensorlet.Shape.WrapDim(dim, Rank, name);
        if (Rank == 0) return Reshape(1).ArgDim(op, 0, keepDim: false, name);
        var r = ReduceKernel(op, [d], 1f, KeepDimShape([d]));
        return keepDim ? r : r.ViewNoGrad(DropDims([d]));
    }

    /// <summary>
    /// Reduces over the sorted dims <paramref name="dims"/>, last run first, passing the backend this tensor's own view
    /// (any layout): a run of adjacent dims is merged into one axis when the view's strides allow it (always, for a
    /// dense tensor, so e.g. batch-norm's (0, 2, 3) takes two passes), else its dims go one pass each. Returns the
    /// keep-dim shape.
    /// </summary>
    private Tensor ReduceKernel(ReduceOp op, int[] dims, float scale, int[] keepShape)
    {
        if (dims.Length == 0)
        {
            var copy = Clone();
            if (scale != 1f) copy.UnaryInPlaceNoCheck<MulScalar>(scale);
            return copy;
        }
        var cur = AsStrided();
        Tensor? owned = null;
        int i = dims.Length - 1;
        while (i >= 0)
        {
            int end = dims[i], start = end;
            while (i > 0 && dims[i - 1] == start - 1 && MergeDims(cur, start - 1, end) != null) { i--; start--; }
            i--;
            var nextShape = (int[])cur.Shape.Clone();
            for (int k = start; k <= end; k++) nextShape[k] = 1;
            var next = Empty(nextShape, Device);
            Backend.Reduce(op, MergeDims(cur, start, end)!.Value, start, MergeDims(next.AsStrided(), start, end)!.Value, i < 0 ? scale : 1f);
            owned?.Dispose();
            owned = next;
            cur = next.AsStrided();
        }
        return owned!.ViewNoGrad(keepShape);
    }

    /// <summary>The view with dims <paramref name="start"/>..<paramref name="end"/> as one, or null when their strides do not allow it.</summary>
    private static StridedView? MergeDims(in StridedView view, int start, int end)
    {
        int size = 1, stride = 0;
        for (int k = end; k >= start; k--)
        {
            int n = view.Shape[k];
            if (n == 1) continue;
            if (size == 1) stride = view.Strides[k];
            else if (view.Strides[k] != stride * size) return null;
            size *= n;
        }
        if (start == end) return view;
        int rank = view.Rank - (end - start);
        var shape = new int[rank];
        var strides = new int[rank];
        for (int k = 0; k < rank; k++)
        {
            int from = k < start ? k : k + end - start;
            shape[k] = k == start ? size : view.Shape[from];
            strides[k] = k == start ? stride : view.Strides[from];
        }
        return new StridedView(view.Buffer, view.Offset, shape, strides);
    }

    private void UnaryInPlaceNoCheck<TOp>(float alpha) where TOp : struct, IUnaryOp<TOp> => Backend.Unary<TOp>(AsStrided(), AsStrided(), alpha);

    /// <summary>A view with a new shape of a contiguous tensor, not recorded (for results of kernels).</summary>
    internal Tensor ViewNoGrad(int[] shape)
    {
        if (Tensorlet.Shape.SameShape(shape, _shape)) return this;
        var v = ViewOf(shape, StridedView.ContiguousStrides(shape), Offset);
        Dispose();
        return v;
    }

    private int[] AllDims()
    {
        var d = new int[Rank];
        for (int i = 0; i < Rank; i++) d[i] = i;
        return d;
    }

    private int[] NormalizeDims(int[] dims, string op)
    {
        var set = new SortedSet<int>();
        foreach (int dim in dims)
            if (!set.Add(Tensorlet.Shape.WrapDim(dim, Rank, op)))
                throw new ArgumentException($"{op}: dimension {dim} appears twice in [{string.Join(", ", dims)}].");
        return Rank == 0 ? [] : set.ToArray();
    }

    private int[] KeepDimShape(int[] dims)
    {
        var s = Shape;
        foreach (int d in dims) s[d] = 1;
        return s;
    }

    private int[] DropDims(int[] dims)
    {
        var s = new List<int>();
        for (int i = 0; i < Rank; i++)
            if (Array.IndexOf(dims, i) < 0) s.Add(_shape[i]);
        return s.ToArray();
    }
}
