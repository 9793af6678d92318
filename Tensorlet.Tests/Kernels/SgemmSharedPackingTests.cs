using Tensorlet.Kernels.Cpu;

namespace Tensorlet.Tests.Kernels;

/// <summary>
/// Row-split GEMMs on two threads pack each B block together (<c>SharedPackB</c>): each thread packs half the
/// micro-panels into one of two alternating blocks and waits for the other. Checked for several k blocks (so both
/// buffers are reused), both B layouts and every kernel: the bits equal the one-thread ones and match the reference;
/// and a GEMM nested inside a parallel part, whose parts run serially and so must not share, finishes.
/// </summary>
[TestFixture]
public class SgemmSharedPackingTests
{
    private int _savedThreads;

    [SetUp]
    public void SaveSettings() => _savedThreads = Threads.Count;

    [TearDown]
    public void RestoreSettings() => Threads.Count = _savedThreads;

    private static IEnumerable<TestCaseData> Kernels() =>
        from kernel in Enum.GetValues<GemmKernels>()
        where Sgemm.IsSupported(kernel)
        select new TestCaseData(kernel).SetName($"SharedPacking_{kernel}");

    [TestCaseSource(nameof(Kernels))]
    public void TwoThreadsPackingBTogetherGiveTheOneThreadBits(GemmKernels kernel)
    {
        // Many more row tiles than column tiles, so C is split by rows; k = 1000 spans three or more KC blocks.
        const int m = 301, n = 77, k = 1000;
        var rng = new Random(5);
        float[] a = SgemmTests.Random(rng, m * k), b = SgemmTests.Random(rng, k * n), bt = SgemmTests.Random(rng, n * k);
        foreach (bool transB in new[] { false, true })
        {
            float[] one = new float[m * n], two = new float[m * n];
            float[] bb = transB ? bt : b;
            int ldb = transB ? k : n;
            Threads.Count = 1;
            Sgemm.Multiply(false, transB, m, n, k, 1f, a, k, bb, ldb, 0f, one, n, kernel);
            Threads.Count = 2;
            Sgemm.Multiply(false, transB, m, n, k, 1f, a, k, bb, ldb, 0f, two, n, kernel);
            Assert.That(two, Is.EqualTo(one), $"{Sgemm.KernelName(kernel)} transB={transB}: 1 and 2 threads differ");
        }
        Threads.Count = 2;
        SgemmTests.Check(m, n, k, false, true, 0.75f, 0.5f, pad: 3, seed: 6, kernel);
        SgemmTests.Check(m, n, k, true, false, 1f, 0f, pad: 1, seed: 7, kernel);
    }

    [Test]
    public void GemmInsideAParallelPartFinishes()
    {
        Threads.Count = 2;
        const int m = 256, n = 64, k = 512;
        var rng = new Random(8);
        float[] a = SgemmTests.Random(rng, m * k), b = SgemmTests.Random(rng, k * n);
        float[][] c = [new float[m * n], new float[m * n]];
        var run = Task.Run(() => Threads.Run(2, p => Sgemm.Multiply(false, false, m, n, k, 1f, a, k, b, n, 0f, c[p], n)));
        Assert.That(run.Wait(TimeSpan.FromMinutes(2)), Is.True, "nested GEMMs did not finish");
        Assert.That(c[1], Is.EqualTo(c[0]));
        SgemmTests.Check(m, n, k, false, false, 1f, 0f, pad: 0, seed: 8);
    }
}
