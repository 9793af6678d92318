namespace Tensorlet;

// Softmax y_i = e^(x_i − max) / Σ_j e^(x_j − max) along one dim. Backward (per row):
// softmax: dx = y ⊙ (g − Σ g⊙y);  log-softmax: dx = g − e^y · Σ g.
public sealed partial class Tensor
{
    /// <summary>Softmax along <paramref name="dim"/> (numerically stable).</summary>
    public Tensor Softmax(int dim = -1) => SoftmaxCore(dim, log: false);

    /// <summary>Log-softmax along <paramref name="dim"/> (numerically stable; use it, not Log(Softmax())).</summary>
    public Tensor LogSoftmax(int dim = -1) => SoftmaxCore(dim, log: true);

    private Tensor SoftmaxCore(int dim, bool log)
    {
        string name = log ? "LogSoftmax" : "Softmax";
        if (Rank == 0) return Record(log ? ZerosLike(this) : OnesLike(this), name + "Backward", [this], _ => { });
        int d = Tensorlet.Shape.WrapDim(dim, Rank, name);
        bool last = d == Rank - 1;
        // The kernels run along the last dim, so dim d is swapped there in the views they get (no copy); y is stored in
        // that order and handed back transposed.
        var src = WithDimLast(d);
        var y = Empty(src.Shape, Device);
        if (Count > 0) Backend.Softmax(log, src, y.AsStrided());
        Tensor result;
        using (GradMode.NoGrad()) result = last ? y : y.Transpose(d, -1);
        var x = this;
        return Record(result, name + "Backward", [x], g =>
        {
            var dx = Empty(y._shape, x.Device);
            if (dx.Count > 0) x.Backend.SoftmaxBackward(log, y.AsStrided(), g.WithDimLast(d), dx.AsStrided());
            x.AccumulateGrad(last ? dx : dx.Transpose(d, -1));
        });
    }

    /// <summary>This tensor's view with dim <paramref name="d"/> and the last one swapped.</summary>
    private Kernels.StridedView WithDimLast(int d)
    {
        int[] shape = (int[])_shape.Clone(), strides = (int[])_strides.Clone();
        (shape[d], shape[^1]) = (shape[^1], shape[d]);
        (strides[d], strides[^1]) = (strides[^1], strides[d]);
        return new(Buffer, Offset, shape, strides);
    }
}
