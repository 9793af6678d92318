namespace Tensorlet.Kernels;

/// <summary>
/// The name <c>Cpu/Sgemm.cs</c> calls the span form of <see cref="OperationChecks.Gemm(bool, bool, int, int, int, int, int, int, int, int, int)"/>
/// by; the rules and messages are OperationChecks'.
/// </summary>
internal static class GemmArguments
{
    public static void Validate(bool transA, bool transB, int m, int n, int k, int aLength, int lda, int bLength, int ldb, int cLength, int ldc) =>
        OperationChecks.Gemm(transA, transB, m, n, k, aLength, lda, bLength, ldb, cLength, ldc);
}
