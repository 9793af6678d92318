namespace Tensorlet.Kernels.Gpu;

// Unfold and Fold are the convolution's own lowering kernels exposed as ops: their [images, C·KH·KW, OH·OW] layout is
// already PyTorch's, so they run over the whole batch in one launch.
public sealed partial class GpuBackend
{
    public void Unfold(in Conv2dGeometry g, DeviceBuffer x, int xOffset, DeviceBuffer cols, int colsOffset)
    {
        OperationChecks.Unfold(this, "Unfold", g, x, xOffset, cols, colsOffset);
        if (g.N == 0) return;
        Convolution.Im2Col(this, g, g.N, x, xOffset, cols, colsOffset);
    }

    public void Fold(in Conv2dGeometry g, DeviceBuffer cols, int colsOffset, DeviceBuffer x, int xOffset)
    {
        OperationChecks.Unfold(this, "Fold", g, x, xOffset, cols, colsOffset);
        if (g.N == 0) return;
        Convolution.Col2Im(this, g, g.N, cols, x, xOffset, colsOffset);
    }
}
