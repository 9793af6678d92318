using Tensorlet.Kernels;

namespace Tensorlet.Tests.Core;

/// <summary>
/// Core hands MatMul and softmax operands to the CPU kernels as views, and the CPU reads transposed, sliced, batch-strided
/// and broadcast ones in place: no dense copy is made. Measured on the CPU pool: after <c>TrimPool</c> nothing is idle,
/// so every buffer an op rents and gives back shows up as idle bytes afterwards, while its output stays live. A layout
/// GEMM cannot read in place (neither stride 1) shows that the measure sees the copy the backend then makes.
/// </summary>
[NonParallelizable]
public class StridedOperandCopyTests
{
    private static Tensor Rand(params int[] shape) => Tensor.Randn(shape, new Generator(7));

    /// <summary>Bytes the op rented and returned (temporaries), with its inputs made before the count starts.</summary>
    private static long TemporaryBytes(Func<Tensor[], Tensor> op, params int[][] shapes)
    {
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        var inputs = shapes.Select(s => Rand(s)).ToArray();
        var cpu = Backends.Cpu;
        TrainingMemoryTests.Settle(); // no finaliser may hand memory back while the pool is counted
        cpu.TrimPool();
        var result = op(inputs);
        long idle = cpu.PooledBytes - cpu.LiveBytes;
        Assert.That(result.Count, Is.GreaterThan(0));
        return idle;
    }

    private static IEnumerable<TestCaseData> InPlaceMatMuls()
    {
        yield return Case("xᵀ·y", t => t[0].T.MatMul(t[1]), [7, 13], [7, 11]);
        yield return Case("x·yᵀ", t => t[0].MatMul(t[1].T), [13, 7], [11, 7]);
        yield return Case("a column slice", t => t[0].Slice(1, 2, 9).MatMul(t[1]), [13, 11], [7, 5]);
        yield return Case("a broadcast batch", t => t[0].Expand(4, 13, 7).MatMul(t[1]), [13, 7], [4, 7, 5]);
        yield return Case("a batch-major permutation", t => t[0].Permute(1, 0, 2).MatMul(t[1]), [5, 3, 7], [7, 4]);
        yield return Case("batch dims that do not merge", t => t[0].Permute(1, 0, 2, 3).MatMul(t[1].T), [3, 2, 5, 7], [6, 7]);
    }

    private static TestCaseData Case(string name, Func<Tensor[], Tensor> op, params int[][] shapes) =>
        new TestCaseData(op, shapes).SetArgDisplayNames(name);

    [TestCaseSource(nameof(InPlaceMatMuls))]
    public void MatMulReadsStridedOperandsInPlace(Func<Tensor[], Tensor> op, int[][] shapes) =>
        Assert.That(TemporaryBytes(op, shapes), Is.Zero, "bytes of dense copies");

    [Test]
    public void ALayoutWithoutAUnitStrideIsCopiedByTheBackend()
    {
        // Every other column, transposed: strides (2, 26), so the backend reads it through a dense 13×7 copy.
        long idle = TemporaryBytes(t => t[0].Slice(1, 0, 26, 2).T.MatMul(t[1]), [7, 26], [7, 5]);
        Assert.That(idle, Is.EqualTo(13 * 7 * sizeof(float)));
    }

    [Test]
    public void SoftmaxAlongAnyDimReadsItsInputInPlace([Values(0, 1, 2)] int dim, [Values] bool log)
    {
        Assert.That(TemporaryBytes(t => log ? t[0].LogSoftmax(dim) : t[0].Softmax(dim), [3, 5, 4]), Is.Zero, "forward");
        Assert.That(TemporaryBytes(t => t[0].Transpose(0, 2).Softmax(dim), [3, 5, 4]), Is.Zero, "forward of a transposed view");
    }

    [Test]
    public void SoftmaxBackwardTakesAStridedGradientInPlace([Values(0, 1, 2)] int dim)
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Randn([3, 5, 4], new Generator(3), requiresGrad: true);
        var y = x.Softmax(dim);
        var g = Rand(4, 5, 3).Permute(2, 1, 0); // an upstream gradient that is itself a strided view
        var cpu = Backends.Cpu;
        TrainingMemoryTests.Settle(); // no finaliser may hand memory back while the pool is counted
        cpu.TrimPool();
        long before = cpu.PooledBytes;
        y.Backward(g);
        // Everything the sweep allocates: the kernel's dx and the leaf's own copy of it as x.Grad — no copy of g or y.
        Assert.That(cpu.PooledBytes - before, Is.EqualTo(2 * 60 * sizeof(float)), "bytes allocated by the backward sweep");
        Assert.That(x.Grad, Is.Not.Null);
    }
}
