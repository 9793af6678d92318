using Tensorlet.Kernels;

namespace Tensorlet.Tests.Core;

/// <summary>
/// Core hands Reduce and Gather each tensor's own view. Where the CPU kernel walks that layout (a transpose, sliced rows),
/// no dense copy of the input is made: after the pool is trimmed, it grows by the outputs alone — a copy, even one
/// returned at once, would stay in it as idle memory.
/// </summary>
public class StridedOperandTests
{
    private const int Rows = 37, Cols = 53;

    private static Tensor Matrix(ulong seed)
    {
        var g = new Generator(seed);
        return Tensor.FromArray(Enumerable.Range(0, Rows * Cols).Select(_ => g.NextFloat() * 4f - 2f).ToArray(), [Rows, Cols]);
    }

    /// <summary>Runs <paramref name="op"/> and returns how many bytes the CPU pool grew by, besides its outputs.</summary>
    private static long ExtraBytes(Func<Tensor[]> op, out Tensor[] outputs)
    {
        var cpu = Backends.Cpu;
        TrainingMemoryTests.Settle(); // no finaliser may hand memory back while the pool is counted
        cpu.TrimPool();
        long before = cpu.PooledBytes;
        outputs = op();
        return cpu.PooledBytes - before - outputs.Sum(t => (long)t.Count * sizeof(float));
    }

    [Test]
    public void SumOverEitherDimOfATransposeCopiesNothing([Values(0, 1)] int dim)
    {
        using var x = Matrix(1);
        var xt = x.T;
        long extra = ExtraBytes(() => [xt.Sum(dim)], out var y);
        Assert.That(extra, Is.Zero, "bytes beyond the output");
        var data = x.ToArray();
        var got = y[0].ToArray();
        // xt[i, j] = x[j, i]: summing xt over dim 0 sums x's rows, over dim 1 its columns.
        for (int o = 0; o < got.Length; o++)
        {
            double sum = 0;
            for (int k = 0; k < (dim == 0 ? Cols : Rows); k++) sum += dim == 0 ? data[o * Cols + k] : data[k * Cols + o];
            Assert.That(got[o], Is.EqualTo(sum).Within(1e-4), $"output {o}");
        }
    }

    [Test]
    public void MaxOverSlicedRowsCopiesNothing()
    {
        using var x = Matrix(2);
        var sliced = x.Narrow(1, 5, 35);
        long extra = ExtraBytes(() =>
        {
            var (values, indices) = sliced.Max(1);
            return [values, indices];
        }, out var y);
        Assert.That(extra, Is.Zero, "bytes beyond the values and indices");
        var (expectedValues, expectedIndices) = sliced.Contiguous().Max(1);
        Assert.That(y[0].ToArray(), Is.EqualTo(expectedValues.ToArray()));
        Assert.That(y[1].ToArray(), Is.EqualTo(expectedIndices.ToArray()));
    }

    [Test]
    public void GatherFromATransposeWithATransposedIndexCopiesNothing()
    {
        using var x = Matrix(3);
        var g = new Generator(4);
        using var stored = Tensor.FromArray(Enumerable.Range(0, 5 * Cols).Select(_ => (float)g.NextInt(Rows)).ToArray(), [5, Cols]);
        var xt = x.T;
        var index = stored.T;
        long extra = ExtraBytes(() => [xt.Gather(1, index)], out var y);
        Assert.That(extra, Is.Zero, "bytes beyond the output");
        Assert.That(y[0].ToArray(), Is.EqualTo(xt.Contiguous().Gather(1, index.Contiguous()).ToArray()));
    }
}
