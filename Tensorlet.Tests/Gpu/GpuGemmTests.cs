using ILGPU.Runtime.CPU;
using Tensorlet.Kernels;
using Tensorlet.Kernels.Gpu;
using static Tensorlet.Tests.Gpu.GpuTestKit;
using static Tensorlet.Tests.Kernels.KernelTestKit;

namespace Tensorlet.Tests.Gpu;

/// <summary>
/// The tiled GPU GEMM against the CPU backend. Sizes 1, 7, 33 and 65 straddle the 16×16 tiles of the CPU accelerator
/// (and 65 spans more tiles than the grid has groups, so groups loop); every operand sits at an offset with a gap after
/// each row and each matrix, so a write outside C or a wrong leading dimension shows in the compared arrays.
/// Tolerance: inputs in [−1, 1], so an output's rounding error is below k·2⁻²⁴·k; we allow 2·10⁻⁶·k absolute.
/// </summary>
public class GpuGemmTests
{
    private static readonly (int M, int N, int K)[] Sizes = [(1, 1, 1), (7, 33, 65), (65, 7, 33), (33, 65, 7), (16, 16, 16), (1, 65, 3)];

    [Test]
    public void EveryTransposeMatchesCpu([Values] bool transA, [Values] bool transB)
    {
        foreach (var (m, n, k) in Sizes) Check(GpuTestKit.TestGpu, new Case(transA, transB, m, n, k));
    }

    [Test]
    public void AlphaAndBetaMatchCpu()
    {
        Check(GpuTestKit.TestGpu, new Case(false, true, 33, 17, 20) { Alpha = 0.5f, Beta = -1.5f });
        Check(GpuTestKit.TestGpu, new Case(true, false, 17, 33, 9) { Alpha = -2f, Beta = 1f });
        Check(GpuTestKit.TestGpu, new Case(true, true, 7, 7, 7) { Alpha = 0f, Beta = 0.25f });
    }

    [Test]
    public void BetaZeroDoesNotReadC([Values] bool transA)
    {
        var c = new Case(transA, !transA, 20, 33, 17) { Offset = 2, Pad = 3, NanC = true };
        var gpu = Check(GpuTestKit.TestGpu, c);
        // Inside the matrix every value is finite (the CPU comparison already implies it; this says why it matters).
        for (int i = 0; i < c.M; i++)
        for (int j = 0; j < c.N; j++)
            Assert.That(float.IsFinite(gpu[c.Offset + 2 + i * (c.N + c.Pad) + j]), $"C[{i},{j}] is not finite");
    }

    [Test]
    public void OffsetsAndLeadingDimensionsMatchCpu([Values] bool transA, [Values] bool transB)
    {
        Check(GpuTestKit.TestGpu, new Case(transA, transB, 33, 7, 65) { Offset = 5, Pad = 3, Beta = 1f });
        Check(GpuTestKit.TestGpu, new Case(transA, transB, 1, 17, 16) { Offset = 1, Pad = 16 });
    }

    [Test]
    public void BatchWithStridesMatchesCpu([Values] bool transA, [Values] bool transB)
    {
        Check(GpuTestKit.TestGpu, new Case(transA, transB, 17, 9, 20) { Batch = 3, Offset = 4, Pad = 2, Beta = 0.5f });
        // Stride 0 repeats one matrix for the whole batch (a shared weight, a broadcast input).
        Check(GpuTestKit.TestGpu, new Case(transA, transB, 9, 17, 5) { Batch = 3, ShareA = true });
        Check(GpuTestKit.TestGpu, new Case(transA, transB, 9, 17, 5) { Batch = 2, ShareB = true, Pad = 1 });
    }

    [Test]
    public void ZeroDepthScalesC()
    {
        Check(GpuTestKit.TestGpu, new Case(false, false, 7, 9, 0) { Beta = -2f, Pad = 1 });
        Check(GpuTestKit.TestGpu, new Case(true, true, 7, 9, 0) { NanC = true });
    }

    [Test]
    public void EmptyProductsLeaveCAlone()
    {
        Check(GpuTestKit.TestGpu, new Case(false, false, 0, 9, 4));
        Check(GpuTestKit.TestGpu, new Case(false, true, 9, 0, 4));
        Check(GpuTestKit.TestGpu, new Case(true, false, 9, 4, 4) { Batch = 0 });
    }

    /// <summary>
    /// The 32×32 (64 threads) and 64×64 (256 threads, the GPU configuration) tiles, on CPU accelerators with larger
    /// groups: their load loops stride by several rows per thread, which the 16-thread default never does.
    /// </summary>
    [Test]
    public void LargerGroupsMatchCpu([Values(64, 256)] int threads)
    {
        using var backend = new GpuBackend(new CPUDevice(4, threads / 4, 1).CreateAccelerator(GpuDevices.Context), $"ilgpu-cpu-{threads}");
        Assert.That(backend.Accelerator.MaxNumThreadsPerGroup, Is.EqualTo(threads));
        Check(backend, new Case(false, false, 70, 65, 33) { Offset = 1, Pad = 2, Beta = 0.5f });
        Check(backend, new Case(true, true, 65, 70, 17) { Batch = 2, ShareA = true });
    }

    /// <summary>One GEMM call: sizes, scalars, and how the operands are laid out in their buffers.</summary>
    private sealed record Case(bool TransA, bool TransB, int M, int N, int K)
    {
        public float Alpha { get; init; } = 1f;
        public float Beta { get; init; }
        public int Batch { get; init; } = 1;
        public int Offset { get; init; }
        /// <summary>Extra floats after each row (ld = columns + Pad) and after each matrix of the batch.</summary>
        public int Pad { get; init; }
        public bool ShareA { get; init; }
        public bool ShareB { get; init; }
        public bool NanC { get; init; }
    }

    /// <summary>Runs the case on the CPU backend and on <paramref name="gpu"/>, compares all three arrays; returns the GPU's C.</summary>
    private static float[] Check(GpuBackend gpu, Case c)
    {
        var (a, lda, strideA) = Operand(c, c.TransA ? c.K : c.M, c.TransA ? c.M : c.K, c.ShareA);
        var (b, ldb, strideB) = Operand(c, c.TransB ? c.N : c.K, c.TransB ? c.K : c.N, c.ShareB);
        var (cc, ldc, strideC) = Operand(c, c.M, c.N, false);
        float[][] arrays = [Random(a, 1, -1f, 1f), Random(b, 2, -1f, 1f), c.NanC ? Enumerable.Repeat(float.NaN, cc).ToArray() : Random(cc, 3, -1f, 1f)];
        Action<IBackend, DeviceBuffer[]> op = (backend, m) => backend.Gemm(
            c.Alpha, View(m[0], c.Offset, c.Batch, c.M, c.K, c.TransA, lda, strideA), View(m[1], c.Offset + 1, c.Batch, c.K, c.N, c.TransB, ldb, strideB),
            c.Beta, View(m[2], c.Offset + 2, c.Batch, c.M, c.N, false, ldc, strideC));
        var expected = Run(Tensorlet.Tests.Kernels.KernelTestKit.Cpu, arrays, op);
        var actual = Run(gpu, arrays, op);
        double atol = 2e-6 * Math.Max(1, c.K);
        for (int i = 0; i < 3; i++) AssertClose(expected[i], actual[i], 1e-5, atol, $"{c} on {gpu.Name} (array {"abc"[i]})");
        return actual[2];
    }

    // A batch of rows×cols matrices, each stored rows×cols with leading dimension ld or, transposed, cols×rows.
    private static StridedView View(DeviceBuffer buffer, int offset, int batch, int rows, int cols, bool transposed, int ld, int stride) =>
        new(buffer, offset, [batch, rows, cols], transposed ? [stride, 1, ld] : [stride, ld, 1]);

    // A rows×cols matrix with ld = cols + pad, batch copies stride apart (0 when shared), after an offset of up to Offset + 2.
    private static (int Length, int Ld, int Stride) Operand(Case c, int rows, int cols, bool shared)
    {
        int ld = Math.Max(1, cols) + c.Pad;
        int size = rows == 0 ? 0 : (rows - 1) * ld + cols;
        int stride = shared ? 0 : size + c.Pad;
        return (c.Offset + 2 + stride * Math.Max(0, c.Batch - 1) + size + c.Pad + 1, ld, stride);
    }
}
