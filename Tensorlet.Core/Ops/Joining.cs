namespace Tensorlet;

// Joining and splitting. Cat copies each input into its slice of the output; its backward hands each input
// the matching slice of g. Split and Chunk are slices (views), so their backward comes from Slice.
public sealed partial class Tensor
{
    /// <summary>Concatenates along <paramref name="dim"/>; all other sizes must match.</summary>
    public static Tensor Cat(IReadOnlyList<Tensor> tensors, int dim = 0)
    {
        if (tensors.Count == 0) throw new ArgumentException("Cat: needs at least one tensor.");
        var first = tensors[0];
        if (first.Rank == 0) throw new ArgumentException("Cat: tensor 0 is 0-d (a scalar) and cannot be concatenated; use Stack.");
        int d = Tensorlet.Shape.WrapDim(dim, first.Rank, "Cat");
        var shape = first.Shape;
        int total = 0;
        for (int i = 0; i < tensors.Count; i++)
        {
            var t = tensors[i];
            CheckSameDevice("Cat", first, t);
            bool ok = t.Rank == first.Rank;
            for (int k = 0; ok && k < t.Rank; k++) ok = k == d || t._shape[k] == shape[k];
            if (!ok)
                throw new ArgumentException(
                    $"Cat: tensor {i} has shape {Tensorlet.Shape.Format(t._shape)}, which does not match {Tensorlet.Shape.Format(first._shape)} outside dimension {d}.");
            total += t._shape[d];
        }
        shape[d] = total;
        var output = Empty(shape, first.Device);
        int offset = 0;
        var starts = new int[tensors.Count];
        for (int i = 0; i < tensors.Count; i++)
        {
            starts[i] = offset;
            int len = tensors[i]._shape[d];
            if (len > 0)
                using (GradMode.NoGrad())
                using (var slot = output.Narrow(d, offset, len))
                    slot.CopyFromNoGrad(tensors[i]);
            offset += len;
        }
        var inputs = tensors.ToArray();
        return Record(output, "CatBackward", inputs, g =>
        {
            for (int i = 0; i < inputs.Length; i++)
                if (inputs[i].RequiresGrad) inputs[i].AccumulateGrad(g.Narrow(d, starts[i], inputs[i]._shape[d]));
        });
    }

    /// <summary>Stacks equally-shaped tensors along a new dimension <paramref name="dim"/>.</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int dim = 0)
    {
        if (tensors.Count == 0) throw new ArgumentException("Stack: needs at least one tensor.");
        for (int i = 1; i < tensors.Count; i++)
            if (!Tensorlet.Shape.SameShape(tensors[i]._shape, tensors[0]._shape))
                throw new ArgumentException(
                    $"Stack: tensor {i} has shape {Tensorlet.Shape.Format(tensors[i]._shape)} but tensor 0 has {Tensorlet.Shape.Format(tensors[0]._shape)}.");
        int d = Tensorlet.Shape.WrapDim(dim, tensors[0].Rank + 1, "Stack");
        return Cat(tensors.Select(t => t.Unsqueeze(d)).ToArray(), d);
    }

    /// <summary>Splits into pieces of <paramref name="splitSize"/> along <paramref name="dim"/> (the last may be smaller); views.</summary>
    public Tensor[] Split(int splitSize, int dim = 0)
    {
        if (splitSize <= 0) throw new ArgumentException($"Split: splitSize must be positive, got {splitSize}.");
        int d = SplitDim(dim, "Split");
        int n = _shape[d], s = 0;
        var parts = new List<Tensor>();
        do // at least one piece, empty for an empty dim, as torch.split
        {
            parts.Add(Narrow(d, s, Math.Min(splitSize, n - s)));
            s += splitSize;
        } while (s < n);
        return parts.ToArray();
    }

    /// <summary>Splits into pieces of the given sizes along <paramref name="dim"/>; they must add up to its size.</summary>
    public Tensor[] Split(int[] sizes, int dim = 0)
    {
        int d = SplitDim(dim, "Split");
        if (sizes.Sum() != _shape[d] || sizes.Any(s => s < 0))
            throw new ArgumentException(
                $"Split: sizes [{string.Join(", ", sizes)}] do not add up to {_shape[d]}, the size of dimension {d} of {Tensorlet.Shape.Format(_shape)}.");
        var parts = new Tensor[sizes.Length];
        int start = 0;
        for (int i = 0; i < sizes.Length; i++)
        {
            parts[i] = Narrow(d, start, sizes[i]);
            start += sizes[i];
        }
        return parts;
    }

    /// <summary>Splits into <paramref name="chunks"/> nearly equal pieces along <paramref name="dim"/>, like torch.chunk.</summary>
    public Tensor[] Chunk(int chunks, int dim = 0)
    {
        if (chunks <= 0) throw new ArgumentException($"Chunk: chunks must be positive, got {chunks}.");
        int d = SplitDim(dim, "Chunk");
        // An empty dim splits into `chunks` empty pieces, as torch.chunk (a size would lose the count).
        return _shape[d] == 0 ? Split(new int[chunks], d) : Split((_shape[d] + chunks - 1) / chunks, d);
    }

    private int SplitDim(int dim, string op) => Rank == 0
        ? throw new ArgumentException($"{op}: a 0-d tensor (a scalar) has no dimension to split along.")
        : Tensorlet.Shape.WrapDim(dim, Rank, op);
}
