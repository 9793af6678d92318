namespace Tensorlet.Kernels.Gpu;

// GEMM entry point: the shared argument checks, then the tiled kernel of GemmKernels over the whole batch in one launch.
public sealed partial class GpuBackend
{
    private GemmKernels? _gemm;

    private GemmKernels GemmTiles => _gemm ??= new GemmKernels(Accelerator);

    /// <summary>The most groups a grid-stride kernel is launched with (tiles beyond it are looped over).</summary>
    internal int MaxGroups => _maxGroups;

    public void Gemm(bool transA, bool transB, int m, int n, int k, float alpha,
                     DeviceBuffer a, int offA, int lda, int strideA,
                     DeviceBuffer b, int offB, int ldb, int strideB,
                     float beta, DeviceBuffer c, int offC, int ldc, int strideC, int batch)
    {
        OperationChecks.Gemm(this, transA, transB, m, n, k, a, offA, lda, strideA, b, offB, ldb, strideB, c, offC, ldc, strideC, batch);
        if (m == 0 || n == 0 || batch == 0) return;
        GemmTiles.Run(this, transA, transB, m, n, k, alpha,
                      new GemmMatrix(a, offA, lda, strideA), new GemmMatrix(b, offB, ldb, strideB),
                      beta, new GemmMatrix(c, offC, ldc, strideC), batch, 1);
    }
}
