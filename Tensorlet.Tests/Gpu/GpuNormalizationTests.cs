using Tensorlet.Kernels;
using static Tensorlet.Tests.Gpu.GpuTestKit;
using static Tensorlet.Tests.Kernels.KernelTestKit;
using Ref = Tensorlet.Kernels.Reference;

namespace Tensorlet.Tests.Gpu;

/// <summary>
/// Batch normalisation and dropout masks on the GPU against the CPU backend. Batch norm sums in a different order
/// (a float tree over the group instead of double blocks), so each output has a stated tolerance; dropout masks come
/// from the same hash and must be bit-identical.
/// </summary>
public class GpuNormalizationTests
{
    private const float Momentum = 0.1f, Eps = 1e-5f;

    /// <summary>Arrays of one batch-norm test: x (offset 3), γ, β, running mean and variance, then the outputs.</summary>
    private static float[][] Arrays(int n, int c, int hw, int seed, float lo, float hi) =>
    [
        Random(n * c * hw + 3, seed, lo, hi), Random(c, seed + 1, 0.5f, 2f), Random(c, seed + 2), Random(c, seed + 3),
        Random(c, seed + 4, 0.5f, 2f), Garbage(n * c * hw + 3), Garbage(c), Garbage(c),
        Random(n * c * hw, seed + 5), Garbage(n * c * hw), Garbage(c), Garbage(c),
    ];

    private static float[] Garbage(int n) => Enumerable.Repeat(float.NaN, n).ToArray();

    private static DeviceBuffer? If(bool given, DeviceBuffer b) => given ? b : null;

    /// <summary>Forward then backward from the forward's saved statistics, on the arrays of <see cref="Arrays"/>.</summary>
    private static Action<IBackend, DeviceBuffer[]> ForwardBackward(int n, int c, int hw, bool affine, bool batchStats, bool running = true) =>
        (b, m) =>
        {
            b.BatchNormForward(BatchNormOf(n, c, hw, m[0], 3, If(affine, m[1]), If(affine, m[2]), If(running, m[3]), If(running, m[4]), m[6], m[7],
                                           batchStats, Momentum, Eps), View(m[5], 3, n, c, hw));
            b.BatchNormBackward(BatchNormOf(n, c, hw, m[0], 3, If(affine, m[1]), null, null, null, m[6], m[7], batchStats, 0.1f, 1e-5f),
                                View(m[8], 0, n, c, hw), BatchNormGradsOf(n, c, hw, m[9], 0, m[10], m[11]));
        };

    /// <summary>Runs <paramref name="op"/> on both backends and compares every array with its own tolerance.</summary>
    private static void AssertBatchNormSame(string what, float[][] arrays, Action<IBackend, DeviceBuffer[]> op)
    {
        var cpu = Run(Tensorlet.Tests.Kernels.KernelTestKit.Cpu, arrays, op);
        var gpu = Run(GpuTestKit.TestGpu, arrays, op);
        string[] names = ["x", "gamma", "beta", "running mean", "running var", "y", "save mean", "save invstd", "gradY", "gradX", "gradGamma", "gradBeta"];
        // y and gradX are O(1) (normalised values, gradients scaled by invstd); the statistics are compared relatively.
        double[] rtol = [0, 0, 0, 1e-6, 1e-5, 1e-4, 1e-6, 1e-4, 0, 1e-3, 1e-3, 1e-4];
        double[] atol = [0, 0, 0, 1e-6, 1e-6, 1e-4, 1e-6, 0, 0, 1e-4, 1e-3, 1e-4];
        for (int i = 0; i < arrays.Length; i++) AssertClose(cpu[i], gpu[i], rtol[i], atol[i], $"{names[i]}: {what}");
    }

    [TestCase(4, 3, 1, true)]
    [TestCase(5, 2, 7, true)]
    [TestCase(3, 4, 37, false)]
    [TestCase(2, 5, 1030, true)]
    [TestCase(4, 3, 2000, false)]
    [TestCase(8, 9, 64, true)]
    public void BatchNormMatchesCpu(int n, int c, int hw, bool affine)
    {
        // A mean of 100 ± 1 checks that the statistics keep their digits (a one-pass Σx² − (Σx)² would not); 2000
        // positions give each of the 16 CPU-accelerator threads more than one 256-term block; 9 channels exceed the grid.
        foreach (bool batchStats in new[] { true, false })
            AssertBatchNormSame($"n {n} c {c} hw {hw} affine {affine} batch stats {batchStats}",
                                Arrays(n, c, hw, n + c + hw, 99f, 101f), ForwardBackward(n, c, hw, affine, batchStats));
    }

    [Test]
    public void LargeMeanKeepsItsDigits()
    {
        // 1000 ± 1 over 32,768 elements per channel, summed in float32: plain partial sums would grow to ~2·10⁶ per
        // thread and put the mean several ulps off (y off by ~4·10⁻⁴); sums of deviations from a pivot keep it within
        // an ulp of the double-precision reference, and y within 10⁻⁴.
        const int n = 16, c = 2, hw = 2048;
        var x = Random(n * c * hw, 41, 999f, 1001f);
        var (y, mean, invStd) = Ref.Normalization.BatchNormForward(n, c, hw, x, null, null, null, null, true, Momentum, Eps);
        var gpu = Run(GpuTestKit.TestGpu, [x, new float[x.Length], new float[c], new float[c]],
                      (b, m) => b.BatchNormForward(BatchNormOf(n, c, hw, m[0], 0, null, null, null, null, m[2], m[3], true, Momentum, Eps), View(m[1], 0, n, c, hw)));
        AssertClose(mean, gpu[2], 1.3e-7, 0, "mean (2 ulps at 1000)");
        AssertClose(invStd, gpu[3], 1e-5, 0, "invstd");
        AssertClose(y, gpu[1], 0, 1e-4, "y");
    }

    [Test]
    public void TrainingWithoutRunningStatisticsAndOneElementPerChannel()
    {
        AssertBatchNormSame("no running stats", Arrays(6, 3, 5, 11, -2f, 2f), ForwardBackward(6, 3, 5, true, true, running: false));
        // N·HW = 1: σ² = 0, so y = β and the running variance takes σ²·M/max(M − 1, 1) = 0.
        AssertBatchNormSame("one element", Arrays(1, 4, 1, 12, -2f, 2f), ForwardBackward(1, 4, 1, true, true));
    }

    [Test]
    public void BackwardSkipsNullOutputs()
    {
        var arrays = Arrays(3, 2, 10, 21, -1f, 1f);
        BatchNormArgs Backward(DeviceBuffer[] m, bool batchStats) =>
            BatchNormOf(3, 2, 10, m[0], 3, m[1], null, null, null, m[6], m[7], batchStats, 0.1f, 1e-5f);
        // Only gradX (γ and β gradients null), then only the γ and β gradients: the other outputs keep their NaN garbage.
        AssertBatchNormSame("gradX only", arrays, (b, m) =>
        {
            b.BatchNormForward(BatchNormOf(3, 2, 10, m[0], 3, m[1], m[2], m[3], m[4], m[6], m[7], true, Momentum, Eps), View(m[5], 3, 3, 2, 10));
            b.BatchNormBackward(Backward(m, true), View(m[8], 0, 3, 2, 10), BatchNormGradsOf(3, 2, 10, m[9], 0, null, null));
        });
        AssertBatchNormSame("parameter grads only", arrays, (b, m) =>
        {
            b.BatchNormForward(BatchNormOf(3, 2, 10, m[0], 3, m[1], m[2], m[3], m[4], m[6], m[7], true, Momentum, Eps), View(m[5], 3, 3, 2, 10));
            b.BatchNormBackward(Backward(m, true), View(m[8], 0, 3, 2, 10), BatchNormGradsOf(3, 2, 10, null, 0, m[10], null));
            b.BatchNormBackward(Backward(m, false), View(m[8], 0, 3, 2, 10), BatchNormGradsOf(3, 2, 10, null, 0, null, m[11]));
        });
        var gpu = Run(GpuTestKit.TestGpu, arrays, (b, m) => b.BatchNormBackward(BatchNormOf(3, 2, 10, m[0], 3, m[1], null, null, null, m[3], m[4], true, 0.1f, 1e-5f),
                                                                             View(m[8], 0, 3, 2, 10), BatchNormGradsOf(3, 2, 10, m[9], 0, null, null)));
        Assert.That(gpu[10].Concat(gpu[11]), Is.All.NaN, "null gradient outputs are not written");
    }

    [Test]
    public void EmptyBatchWritesZeroParameterGradientsAndNothingElse()
    {
        var arrays = Arrays(0, 3, 4, 31, -1f, 1f);
        var before = arrays.Select(a => (float[])a.Clone()).ToArray();
        var gpu = Run(GpuTestKit.TestGpu, arrays, ForwardBackward(0, 3, 4, true, true));
        Assert.That(gpu[10], Is.EqualTo(new float[3]), "gradGamma of an empty batch");
        Assert.That(gpu[11], Is.EqualTo(new float[3]), "gradBeta of an empty batch");
        for (int i = 0; i < 10; i++) Assert.That(gpu[i], Is.EqualTo(before[i]), $"array {i} is untouched");
        AssertBatchNormSame("empty batch", arrays, ForwardBackward(0, 3, 4, true, true));
    }

    [TestCase(0f)]
    [TestCase(0.2f)]
    [TestCase(0.5f)]
    [TestCase(1f)]
    public void DropoutMaskIsBitIdenticalToCpu(float p)
    {
        const int N = 5000;
        // Counter bases past 2³² and seeds with high bits set exercise the 64-bit arithmetic of the hash.
        foreach (var (seed, counterBase) in new[] { (42UL, 1000UL), (0xFEDCBA9876543210UL, (1UL << 40) + 7), (7UL, 0UL) })
            AssertSameOnBoth($"p {p} seed {seed:X} base {counterBase}", [Random(N + 10, 1)],
                             (b, m) => b.DropoutMask(StridedView.Contiguous(m[0], 10, [N]), p, seed, counterBase), rtol: 0, atol: 0);

        var mask = Run(GpuTestKit.TestGpu, [new float[N]], (b, m) => b.DropoutMask(StridedView.Contiguous(m[0], 0, [N]), p, 42, 1000))[0];
        Assert.That(mask.Count(v => v == 0f) / (double)N, Is.EqualTo(p).Within(0.03), "fraction dropped");
        if (p < 1f) Assert.That(mask.Where(v => v != 0f), Is.All.EqualTo(1f / (1f - p)), "kept values are scaled by 1/(1 − p)");
    }
}
