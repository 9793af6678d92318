namespace Tensorlet.Kernels.Gpu;

// TEMPORARY on the gpu branch only: each section is replaced by its kernels before the branch is merged.
public sealed partial class GpuBackend
{
    // ---- pooling + normalisation + dropout (helper: pool) ----
    public void MaxPool2d(in Pool2dGeometry g, DeviceBuffer x, int xOffset, DeviceBuffer y, int yOffset, DeviceBuffer indices, int indicesOffset) => throw new NotSupportedException("pending");
    public void MaxPool2dBackward(in Pool2dGeometry g, DeviceBuffer gradY, int gradYOffset, DeviceBuffer indices, int indicesOffset,
                                  DeviceBuffer gradX, int gradXOffset) => throw new NotSupportedException("pending");
    public void AvgPool2d(in Pool2dGeometry g, DeviceBuffer x, int xOffset, DeviceBuffer y, int yOffset) => throw new NotSupportedException("pending");
    public void AvgPool2dBackward(in Pool2dGeometry g, DeviceBuffer gradY, int gradYOffset, DeviceBuffer gradX, int gradXOffset) => throw new NotSupportedException("pending");
    public void AdaptiveAvgPool2d(int n, int c, int h, int w, int outH, int outW, DeviceBuffer x, int xOffset, DeviceBuffer y, int yOffset) => throw new NotSupportedException("pending");
    public void AdaptiveAvgPool2dBackward(int n, int c, int h, int w, int outH, int outW, DeviceBuffer gradY, int gradYOffset,
                                          DeviceBuffer gradX, int gradXOffset) => throw new NotSupportedException("pending");
    public void BatchNormForward(int n, int c, int hw, DeviceBuffer x, int xOffset, DeviceBuffer? gamma, DeviceBuffer? beta,
                                 DeviceBuffer? runningMean, DeviceBuffer? runningVar, bool useBatchStats, float momentum, float eps,
                                 DeviceBuffer y, int yOffset, DeviceBuffer saveMean, DeviceBuffer saveInvStd) => throw new NotSupportedException("pending");
    public void BatchNormBackward(int n, int c, int hw, DeviceBuffer x, int xOffset, DeviceBuffer gradY, int gradYOffset,
                                  DeviceBuffer? gamma, DeviceBuffer saveMean, DeviceBuffer saveInvStd, bool useBatchStats,
                                  DeviceBuffer? gradX, int gradXOffset, DeviceBuffer? gradGamma, DeviceBuffer? gradBeta) => throw new NotSupportedException("pending");
    public void DropoutMask(DeviceBuffer mask, int offset, int count, float p, ulong seed, ulong counterBase) => throw new NotSupportedException("pending");
}
