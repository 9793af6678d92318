namespace Tensorlet;

// Matrix products. For C = A·B with upstream G: dA = G·Bᵀ and dB = Aᵀ·G, each summed over broadcast batch
// dims. Transposed, sliced and broadcast views are handed to GEMM as they are, never copied here.
public sealed partial class Tensor
{
    /// <summary>
    /// Matrix product with PyTorch's rules: 1-D·1-D is a dot product, 2-D·2-D a matrix product, 1-D operands get a
    /// dimension prepended (left) or appended (right) and removed after, and leading batch dims broadcast.
    /// </summary>
    public Tensor MatMul(Tensor other)
    {
        if (Rank == 0 || other.Rank == 0)
            throw new ArgumentException($"MatMul: both arguments need at least 1 dimension, got shapes {Tensorlet.Shape.Format(_shape)} and {Tensorlet.Shape.Format(other._shape)}.");
        var a = Rank == 1 ? Unsqueeze(0) : this;
        var b = other.Rank == 1 ? other.Unsqueeze(-1) : other;
        var r = MatMulNd(a, b);
        if (other.Rank == 1) r = r.Squeeze(-1);
        if (Rank == 1) r = r.Squeeze(r.Rank == 1 ? 0 : -2);
        return r;
    }

    /// <summary>Matrix product of 2-D tensors (no broadcasting), like <c>torch.mm</c>.</summary>
    public Tensor Mm(Tensor other)
    {
        if (Rank != 2 || other.Rank != 2)
            throw new ArgumentException($"Mm: expected 2-D tensors, got shapes {Tensorlet.Shape.Format(_shape)} and {Tensorlet.Shape.Format(other._shape)}.");
        return MatMulNd(this, other);
    }

    private static Tensor MatMulNd(Tensor a, Tensor b)
    {
        CheckSameDevice("MatMul", a, b);
        int m = a._shape[^2], k = a._shape[^1], k2 = b._shape[^2], n = b._shape[^1];
        if (k != k2)
            throw new ArgumentException(
                $"MatMul: shapes {Tensorlet.Shape.Format(a._shape)} and {Tensorlet.Shape.Format(b._shape)} cannot be multiplied ({k} columns vs {k2} rows).");
        var batch = Tensorlet.Shape.Broadcast(a._shape[..^2], b._shape[..^2], "MatMul");
        var outShape = batch.Concat(new[] { m, n }).ToArray();
        var c = Empty(outShape, a.Device);
        GemmInto(a, b, c, batch, m, n, k);
        var aShape = a._shape;
        var bShape = b._shape;
        return Record(c, "MatMulBackward", [a, b], g =>
        {
            if (a.RequiresGrad) a.AccumulateGrad(MatMulNd(g, b.Transpose(-1, -2)).SumTo(aShape));
            if (b.RequiresGrad) b.AccumulateGrad(MatMulNd(a.Transpose(-1, -2), g).SumTo(bShape));
        });
    }

    /// <summary>
    /// c = a·b for every batch entry, with a and b broadcast to <paramref name="batch"/>; c contiguous. The operands go to
    /// GEMM as views (transposed, sliced and broadcast ones included); batch dims that step evenly in all three merge
    /// into GEMM's one batch dim, and any others are looped here, so no operand is copied.
    /// </summary>
    private static void GemmInto(Tensor a, Tensor b, Tensor c, int[] batch, int m, int n, int k)
    {
        int count = Tensorlet.Shape.Count(batch);
        if (count == 0 || m == 0 || n == 0) return;
        int[] sa = a.BroadcastStrides([.. batch, m, k], "MatMul"), sb = b.BroadcastStrides([.. batch, k, n], "MatMul");
        var dims = BatchDims(batch, sa, sb, c._strides);
        var (size, strideA, strideB, strideC) = dims.Count > 0 ? dims[^1] : (1, 0, 0, 0);
        for (int outer = 0; outer < count / size; outer++)
        {
            int offA = a.Offset, offB = b.Offset, offC = c.Offset, rest = outer;
            for (int d = dims.Count - 2; d >= 0; d--)
            {
                int i = rest % dims[d].Size;
                rest /= dims[d].Size;
                (offA, offB, offC) = (offA + i * dims[d].A, offB + i * dims[d].B, offC + i * dims[d].C);
            }
            c.Backend.Gemm(1f, new(a.Buffer, offA, [size, m, k], [strideA, sa[^2], sa[^1]]),
                           new(b.Buffer, offB, [size, k, n], [strideB, sb[^2], sb[^1]]),
                           0f, new(c.Buffer, offC, [size, m, n], [strideC, n, 1]));
        }
    }

    /// <summary>
    /// The batch dims (size &gt; 1) with the strides of a, b and c, outermost first, each run of dims that every operand
    /// steps through evenly merged into one.
    /// </summary>
    private static List<(int Size, int A, int B, int C)> BatchDims(int[] batch, int[] sa, int[] sb, int[] sc)
    {
        var dims = new List<(int Size, int A, int B, int C)>();
        for (int d = 0; d < batch.Length; d++)
        {
            if (batch[d] == 1) continue;
            var (size, a, b, c) = (batch[d], sa[d], sb[d], sc[d]);
            if (dims.Count > 0 && dims[^1] is var last && last.A == a * size && last.B == b * size && last.C == c * size)
                dims[^1] = (last.Size * size, a, b, c);
            else dims.Add((size, a, b, c));
        }
        return dims;
    }
}
