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
        Tensor rows;
        using (GradMode.NoGrad()) rows = last ? Contiguous() : Transpose(d, -1).Contiguous();
        int cols = _shape[d], n = Count / Math.Max(cols, 1);
        var y = Empty(rows._shape, Device);
        if (Count > 0) Backend.Softmax(log, rows.Buffer, rows.Offset, n, cols, y.Buffer, 0);
        if (!ReferenceEquals(rows, this)) rows.Dispose();
        Tensor result;
        using (GradMode.NoGrad()) result = last ? y : y.Transpose(d, -1);
        var x = this;
        return Record(result, name + "Backward", [x], g =>
        {
            var gRows = last ? g.Contiguous() : g.Transpose(d, -1).Contiguous();
            var dx = Empty(gRows._shape, x.Device);
            if (dx.Count > 0) x.Backend.SoftmaxBackward(log, y.Buffer, 0, gRows.Buffer, gRows.Offset, n, cols, dx.Buffer, 0);
            x.AccumulateGrad(last ? dx : dx.Transpose(d, -1));
        });
    }
}
