namespace Tensorlet.Kernels.Gpu;

// Unfold and Fold are the convolution's own lowering kernels exposed as ops: their [images, C·KH·KW, OH·OW] layout is
// already PyTorch's, so they run over the whole batch in one launch (other layouts through DenseOperand).
public sealed partial class GpuBackend
{
    public void Unfold(in Conv2dGeometry g, in StridedView x, in StridedView cols) => UnfoldOrFold(g, x, cols, fold: false);

    public void Fold(in Conv2dGeometry g, in StridedView cols, in StridedView x) => UnfoldOrFold(g, x, cols, fold: true);

    /// <summary>Unfold (x into cols) or, <paramref name="fold"/>, its adjoint Fold (cols summed into x).</summary>
    private void UnfoldOrFold(in Conv2dGeometry g, in StridedView x, in StridedView cols, bool fold)
    {
        OperationChecks.Unfold(this, fold ? "Fold" : "Unfold", g, x, cols);
        if (g.N == 0) return;
        var geometry = g;
        if (fold)
            RunDense(cols, x, (src, srcOffset, dst, dstOffset) =>
                Convolution.Col2Im(this, geometry, geometry.N, src, dst, dstOffset, srcOffset));
        else
            RunDense(x, cols, (src, srcOffset, dst, dstOffset) =>
                Convolution.Im2Col(this, geometry, geometry.N, src, srcOffset, dst, dstOffset));
    }
}
