namespace Tensorlet.Kernels.Gpu;

// TEMPORARY on the gpu branch only: each section is replaced by its kernels before the branch is merged.
public sealed partial class GpuBackend
{
    // ---- GEMM + convolution (helper: gemm) ----
    public void Gemm(bool transA, bool transB, int m, int n, int k, float alpha,
                     DeviceBuffer a, int offA, int lda, int strideA,
                     DeviceBuffer b, int offB, int ldb, int strideB,
                     float beta, DeviceBuffer c, int offC, int ldc, int strideC, int batch) => throw new NotSupportedException("pending");
    public void Conv2d(in Conv2dGeometry g, DeviceBuffer x, int xOffset, DeviceBuffer weight, int wOffset,
                       DeviceBuffer? bias, int bOffset, DeviceBuffer y, int yOffset) => throw new NotSupportedException("pending");
    public void Conv2dBackwardInput(in Conv2dGeometry g, DeviceBuffer gradY, int gyOffset, DeviceBuffer weight, int wOffset,
                                    DeviceBuffer gradX, int gxOffset) => throw new NotSupportedException("pending");
    public void Conv2dBackwardWeight(in Conv2dGeometry g, DeviceBuffer x, int xOffset, DeviceBuffer gradY, int gyOffset,
                                     DeviceBuffer gradW, int gwOffset, DeviceBuffer? gradBias, int gbOffset) => throw new NotSupportedException("pending");

}
