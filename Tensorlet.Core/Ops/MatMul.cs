namespace Tensorlet;

// Matrix products. For C = A·B with upstream G: dA = G·Bᵀ and dB = Aᵀ·G, each summed over broadcast batch
// dims. Transposed views are handed to GEMM as transpose flags, never copied.
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

    /// <summary>c = a·b for every batch entry, with a and b broadcast to <paramref name="batch"/>; c contiguous.</summary>
    private static void GemmInto(Tensor a, Tensor b, Tensor c, int[] batch, int m, int n, int k)
    {
        int count = Tensorlet.Shape.Count(batch);
        if (count == 0 || m == 0 || n == 0) return;
        if (k == 0)
        {
            c.Backend.Fill(c.AsStrided(), 0f);
            return;
        }
        var (av, transA, lda, strideA) = GemmOperand(a, batch);
        var (bv, transB, ldb, strideB) = GemmOperand(b, batch);
        try
        {
            c.Backend.Gemm(transA, transB, m, n, k, 1f,
                av.Buffer, av.Offset, lda, strideA,
                bv.Buffer, bv.Offset, ldb, strideB,
                0f, c.Buffer, c.Offset, n, m * n, count);
        }
        finally
        {
            if (!ReferenceEquals(av, a)) av.Dispose();
            if (!ReferenceEquals(bv, b)) bv.Dispose();
        }
    }

    /// <summary>
    /// How GEMM can read <paramref name="t"/> broadcast to <paramref name="batch"/> without a copy: a transpose flag,
    /// a leading dimension and one batch stride. Layouts GEMM cannot express are made contiguous first.
    /// </summary>
    private static (Tensor View, bool Trans, int Ld, int BatchStride) GemmOperand(Tensor t, int[] batch)
    {
        var full = batch.Concat(t._shape[^2..]).ToArray();
        var strides = t.BroadcastStrides(full, "MatMul");
        int rows = full[^2], cols = full[^1], rs = strides[^2], cs = strides[^1];
        int? batchStride = UniformBatchStride(full, strides);
        if (batchStride != null)
        {
            if ((cols == 1 || cs == 1) && (rows == 1 || rs >= cols))
                return (t, false, rows == 1 ? cols : rs, batchStride.Value);
            if ((rows == 1 || rs == 1) && (cols == 1 || cs >= rows))
                return (t, true, cols == 1 ? rows : cs, batchStride.Value);
        }
        using (GradMode.NoGrad())
        {
            var dense = Empty(full, t.Device);
            t.Backend.Copy(new Kernels.StridedView(t.Buffer, t.Offset, full, strides), dense.AsStrided());
            return (dense, false, cols, rows * cols);
        }
    }

    /// <summary>The single stride that steps through all batch dims in order, or null if there is none.</summary>
    private static int? UniformBatchStride(int[] shape, int[] strides)
    {
        int? stride = null;
        int expectNext = -1;
        for (int i = shape.Length - 3; i >= 0; i--)
        {
            if (shape[i] == 1) continue;
            if (stride == null)
            {
                stride = strides[i];
                expectNext = strides[i] * shape[i];
            }
            else
            {
                if (strides[i] != expectNext) return null;
                expectNext = strides[i] * shape[i];
            }
        }
        return stride ?? 0;
    }
}
