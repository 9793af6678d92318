using Tensorlet.Kernels;

namespace Tensorlet;

// Views: new shape/strides/offset over the same memory, no copy. Each backward maps the gradient back
// through the inverse view (or, for slices, writes it into a zero tensor of the input's shape).
public sealed partial class Tensor
{
    /// <summary>The same elements with a new shape (one dimension may be −1), as a view; throws if the strides do not allow one.</summary>
    public Tensor View(params int[] shape)
    {
        var newShape = InferShape(shape, "View");
        var strides = ViewStrides(newShape) ?? throw new InvalidOperationException(
            $"View: a tensor of shape {Tensorlet.Shape.Format(_shape)} with strides {Tensorlet.Shape.Format(_strides)} cannot be viewed as " +
            $"{Tensorlet.Shape.Format(newShape)} without a copy; use Reshape (which copies) or call Contiguous() first.");
        var inShape = _shape;
        return Record(ViewOf(newShape, strides, Offset), "ViewBackward", [this], g => AccumulateGrad(g.Reshape(inShape)));
    }

    /// <summary>The same elements with a new shape (one dimension may be −1): a view when possible, else a copy.</summary>
    public Tensor Reshape(params int[] shape)
    {
        var newShape = InferShape(shape, "Reshape");
        return ViewStrides(newShape) != null ? View(newShape) : Contiguous().View(newShape);
    }

    /// <summary>Merges dimensions <paramref name="startDim"/>..<paramref name="endDim"/> into one.</summary>
    public Tensor Flatten(int startDim = 0, int endDim = -1)
    {
        if (Rank == 0) return Reshape(1);
        int s = Tensorlet.Shape.WrapDim(startDim, Rank, "Flatten"), e = Tensorlet.Shape.WrapDim(endDim, Rank, "Flatten");
        if (s > e) throw new ArgumentException($"Flatten: startDim {startDim} comes after endDim {endDim}.");
        var shape = new List<int>();
        for (int i = 0; i < s; i++) shape.Add(_shape[i]);
        int merged = 1;
        for (int i = s; i <= e; i++) merged *= _shape[i];
        shape.Add(merged);
        for (int i = e + 1; i < Rank; i++) shape.Add(_shape[i]);
        return Reshape(shape.ToArray());
    }

    /// <summary>Swaps two dimensions (a view).</summary>
    public Tensor Transpose(int dim0, int dim1)
    {
        int a = Tensorlet.Shape.WrapDim(dim0, Rank, "Transpose"), b = Tensorlet.Shape.WrapDim(dim1, Rank, "Transpose");
        if (Rank == 0) return Permute();
        var perm = new int[Rank];
        for (int i = 0; i < Rank; i++) perm[i] = i;
        (perm[a], perm[b]) = (perm[b], perm[a]);
        return Permute(perm);
    }

    /// <summary>The transpose of a matrix (2-D tensors only), like <c>x.T</c>.</summary>
    public Tensor T
    {
        get
        {
            if (Rank != 2) throw new InvalidOperationException($"T: expected a 2-D tensor, got shape {Tensorlet.Shape.Format(_shape)}; use Transpose or Permute.");
            return Transpose(0, 1);
        }
    }

    /// <summary>Reorders the dimensions: result dim i is input dim <paramref name="dims"/>[i] (a view).</summary>
    public Tensor Permute(params int[] dims)
    {
        if (dims.Length != Rank)
            throw new ArgumentException($"Permute: {dims.Length} dimensions given for a tensor of rank {Rank} (shape {Tensorlet.Shape.Format(_shape)}).");
        var seen = new bool[Rank];
        var shape = new int[Rank];
        var strides = new int[Rank];
        var inverse = new int[Rank];
        for (int i = 0; i < Rank; i++)
        {
            int d = Tensorlet.Shape.WrapDim(dims[i], Rank, "Permute");
            if (seen[d]) throw new ArgumentException($"Permute: dimension {d} appears twice in [{string.Join(", ", dims)}].");
            seen[d] = true;
            shape[i] = _shape[d];
            strides[i] = _strides[d];
            inverse[d] = i;
        }
        return Record(ViewOf(shape, strides, Offset), "PermuteBackward", [this], g => AccumulateGrad(g.Permute(inverse)));
    }

    /// <summary>Elements <paramref name="start"/>..<paramref name="start"/>+<paramref name="length"/> of one dimension (a view).</summary>
    public Tensor Narrow(int dim, int start, int length)
    {
        if (Rank == 0) throw new InvalidOperationException("Narrow: a 0-d tensor has no dimension to narrow.");
        int d = Tensorlet.Shape.WrapDim(dim, Rank, "Narrow"), size = _shape[d];
        if (start < -size || start > size)
            throw new ArgumentOutOfRangeException(nameof(start), start,
                $"Narrow: start {start} is out of range for dimension {d} of size {size} (shape {Tensorlet.Shape.Format(_shape)}).");
        if (start < 0) start += size;
        // Unlike Slice, no clipping: a caller asking for `length` elements must get exactly that many.
        if (length < 0 || start + length > size)
            throw new ArgumentOutOfRangeException(nameof(length), length,
                $"Narrow: start {start} + length {length} exceeds the size {size} of dimension {d} (shape {Tensorlet.Shape.Format(_shape)}).");
        return Slice(d, start, start + length);
    }

    /// <summary>
    /// Python-style slice <c>[start:end:step]</c> along <paramref name="dim"/> (a view). Negative start/end count from
    /// the end; out-of-range bounds are clipped as in Python.
    /// </summary>
    public Tensor Slice(int dim, int start, int end, int step = 1)
    {
        if (Rank == 0) throw new InvalidOperationException("Slice: a 0-d tensor has no dimension to slice.");
        int d = Tensorlet.Shape.WrapDim(dim, Rank, "Slice");
        if (step <= 0) throw new ArgumentException($"Slice: step must be positive, got {step}.");
        int size = _shape[d];
        if (start < 0) start += size;
        if (end < 0) end += size;
        start = Math.Clamp(start, 0, size);
        end = Math.Clamp(end, start, size);
        int len = (end - start + step - 1) / step;
        var shape = Shape;
        var strides = Strides;
        shape[d] = len;
        strides[d] *= step;
        var inShape = _shape;
        int s0 = start;
        return Record(ViewOf(shape, strides, Offset + start * _strides[d]), "SliceBackward", [this], g =>
        {
            var full = Zeros(inShape, g.Device);
            full.Slice(d, s0, s0 + len * step, step).CopyFromNoGrad(g);
            AccumulateGrad(full);
        });
    }

    /// <summary>
    /// Repeats size-1 dimensions (and prepends new ones) to reach <paramref name="shape"/> without copying;
    /// −1 keeps a size.
    /// </summary>
    public Tensor Expand(params int[] shape)
    {
        var target = (int[])shape.Clone();
        int lead = target.Length - Rank;
        for (int i = 0; i < target.Length; i++)
            if (target[i] == -1)
            {
                if (i < lead) throw new ArgumentException($"Expand: −1 is not allowed for the new leading dimension {i}.");
                target[i] = _shape[i - lead];
            }
        var strides = BroadcastStrides(target, "Expand");
        var inShape = _shape;
        return Record(ViewOf(target, strides, Offset), "ExpandBackward", [this], g => AccumulateGrad(g.SumTo(inShape)));
    }

    /// <summary>This tensor broadcast to the shape of <paramref name="other"/>.</summary>
    public Tensor ExpandAs(Tensor other) => Expand(other._shape);

    /// <summary>Removes dimension <paramref name="dim"/> if it has size 1 (no-op otherwise, like PyTorch).</summary>
    public Tensor Squeeze(int dim)
    {
        int d = Tensorlet.Shape.WrapDim(dim, Rank, "Squeeze");
        if (Rank == 0 || _shape[d] != 1) return Reshape(_shape);
        var shape = new List<int>(_shape);
        shape.RemoveAt(d);
        return Reshape(shape.ToArray());
    }

    /// <summary>Removes every size-1 dimension.</summary>
    public Tensor Squeeze() => Reshape(_shape.Where(s => s != 1).ToArray());

    /// <summary>Inserts a size-1 dimension at <paramref name="dim"/> (−1 appends).</summary>
    public Tensor Unsqueeze(int dim)
    {
        int d = Tensorlet.Shape.WrapDim(dim, Rank + 1, "Unsqueeze");
        var shape = new List<int>(_shape);
        shape.Insert(d, 1);
        return Reshape(shape.ToArray());
    }

    /// <summary>This tensor if already contiguous, else a dense row-major copy (differentiable).</summary>
    public Tensor Contiguous()
    {
        if (IsContiguous) return this;
        var t = Empty(_shape, Device);
        Backend.Copy(AsStrided(), t.AsStrided());
        return Record(t, "ContiguousBackward", [this], AccumulateGrad);
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private int[] InferShape(int[] shape, string op)
    {
        var result = (int[])shape.Clone();
        int infer = -1, known = 1;
        for (int i = 0; i < result.Length; i++)
        {
            if (result[i] == -1)
            {
                if (infer >= 0) throw new ArgumentException($"{op}: only one dimension can be −1 in {Tensorlet.Shape.Format(shape)}.");
                infer = i;
            }
            else if (result[i] < 0) throw new ArgumentException($"{op}: invalid dimension {result[i]} in {Tensorlet.Shape.Format(shape)}.");
            else known *= result[i];
        }
        if (infer >= 0)
        {
            if (known == 0 || Count % known != 0)
                throw new ArgumentException($"{op}: shape {Tensorlet.Shape.Format(shape)} is invalid for a tensor of {Count} elements (shape {Tensorlet.Shape.Format(_shape)}).");
            result[infer] = Count / known;
        }
        if (Tensorlet.Shape.Count(result) != Count)
            throw new ArgumentException($"{op}: shape {Tensorlet.Shape.Format(shape)} is invalid for a tensor of {Count} elements (shape {Tensorlet.Shape.Format(_shape)}).");
        return result;
    }

    /// <summary>Strides that show this tensor's memory with <paramref name="newShape"/>, or null when no view exists (PyTorch's rule).</summary>
    private int[]? ViewStrides(int[] newShape)
    {
        if (IsContiguous || Count == 0) return StridedView.ContiguousStrides(newShape);
        var newStrides = new int[newShape.Length];
        int viewD = newShape.Length - 1;
        long chunkBase = _strides[^1], tensorNumel = 1, viewNumel = 1;
        for (int d = Rank - 1; d >= 0; d--)
        {
            tensorNumel *= _shape[d];
            if (d == 0 || (_shape[d - 1] != 1 && _strides[d - 1] != tensorNumel * chunkBase))
            {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1))
                {
                    newStrides[viewD] = (int)(viewNumel * chunkBase);
                    viewNumel *= newShape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) return null;
                if (d > 0)
                {
                    chunkBase = _strides[d - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        return viewD == -1 ? newStrides : null;
    }

    /// <summary>Copies <paramref name="src"/> (broadcast to this shape) into this tensor's memory, outside autograd.</summary>
    internal void CopyFromNoGrad(Tensor src)
    {
        CheckSameDevice("Copy", this, src);
        Backend.Copy(src.BroadcastView(_shape), AsStrided());
    }
}
