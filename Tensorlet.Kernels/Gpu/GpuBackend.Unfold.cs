namespace Tensorlet.Kernels.Gpu;

// Unfold and Fold are the convolution's own lowering kernels exposed as ops: their [images, C·KH·KW, OH·OW] layout is
// already PyTorch's, so they run over the whole batch in one launch (other layouts through DenseOperand).
public sealed partial class GpuBackend
{
    public void Unfold(in Conv2dGeometry g, in StridedView x, in StridedView cols)
    {
        OperationChecks.Unfold(this, "Unfold", g, x, cols);
        if (g.N == 0) return;
        using var xs = DenseOperand.Read(this, x);
        using var cs = DenseOperand.Write(this, cols);
        Convolution.Im2Col(this, g, g.N, xs.Buffer, xs.Offset, cs.Buffer, cs.Offset);
        cs.Complete();
    }

    public void Fold(in Conv2dGeometry g, in StridedView cols, in StridedView x)
    {
        OperationChecks.Unfold(this, "Fold", g, x, cols);
        if (g.N == 0) return;
        using var cs = DenseOperand.Read(this, cols);
        using var xs = DenseOperand.Write(this, x);
        Convolution.Col2Im(this, g, g.N, cs.Buffer, xs.Buffer, xs.Offset, cs.Offset);
        xs.Complete();
    }
}
