namespace Tensorlet.Kernels.Gpu;

// GEMM entry point: the shared argument checks, the operands as GemmPlan reads them (transposed and batch-strided views
// in place, other layouts through a dense copy), then the tiled kernel of GemmKernels over the whole batch in one launch.
public sealed partial class GpuBackend
{
    private GemmKernels? _gemm;

    private GemmKernels GemmTiles => _gemm ??= new GemmKernels(Accelerator);

    /// <summary>The most groups a grid-stride kernel is launched with (tiles beyond it are looped over).</summary>
    internal int MaxGroups => _maxGroups;

    public void Gemm(float alpha, in StridedView a, in StridedView b, float beta, in StridedView c)
    {
        var sizes = OperationChecks.Gemm(this, a, b, c);
        if (sizes.M == 0 || sizes.N == 0 || sizes.Batch == 0) return;
        using var plan = GemmPlan.Open(this, a, b, beta, c, sizes);
        GemmTiles.Run(this, plan.A.Trans, plan.B.Trans, plan.M, plan.N, plan.K, alpha, Matrix(plan.A), Matrix(plan.B),
                      beta, Matrix(plan.C), plan.Batch, 1);
        plan.Complete();
    }

    private static GemmMatrix Matrix(in GemmOperand x) => new(x.Buffer, x.Offset, x.Ld, x.BatchStride);
}
