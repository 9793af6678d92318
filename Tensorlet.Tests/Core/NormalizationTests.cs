using Tensorlet.NN;
using static Tensorlet.Tests.Core.OpTester;

namespace Tensorlet.Tests.Core;

public class NormalizationTests
{
    /// <summary>Per channel (axis 1) over every other axis: (mean, biased variance, count).</summary>
    private static (double[] Mean, double[] Var, int M) Stats(float[] x, int[] shape)
    {
        int n = shape[0], c = shape[1], hw = x.Length / (n * c), m = n * hw;
        var mean = new double[c];
        var variance = new double[c];
        for (int ch = 0; ch < c; ch++)
        {
            var values = Enumerable.Range(0, n).SelectMany(b => Enumerable.Range(0, hw).Select(i => (double)x[(b * c + ch) * hw + i])).ToArray();
            mean[ch] = values.Average();
            variance[ch] = values.Sum(v => (v - mean[ch]) * (v - mean[ch])) / m;
        }
        return (mean, variance, m);
    }

    private static RefArray Channel(RefArray v, int rank) => v.Reshape([1, v.Shape[0], .. Enumerable.Repeat(1, rank - 2)]);

    /// <summary>(x − mean)/√(var + ε)·γ + β with batch statistics, reduced over every axis but 1.</summary>
    private static RefArray TrainingRef(RefArray x, RefArray gamma, RefArray beta)
    {
        var dims = Enumerable.Range(0, x.Rank).Where(d => d != 1).ToArray();
        int m = dims.Aggregate(1, (a, d) => a * x.Shape[d]);
        var mean = x.Sum(dims, keepDim: true) * (1.0 / m);
        var centred = x - mean;
        var variance = (centred * centred).Sum(dims, keepDim: true) * (1.0 / m);
        return centred / variance.Map(v => Math.Sqrt(v + 1e-5)) * Channel(gamma, x.Rank) + Channel(beta, x.Rank);
    }

    [TestCase(new[] { 6, 3 })]
    [TestCase(new[] { 4, 3, 5 })]
    [TestCase(new[] { 3, 2, 3, 4 })]
    public void TrainingBatchNormAndItsGradients(int[] shape)
    {
        int c = shape[1];
        Check([shape, [c], [c]], t => F.BatchNorm(t[0], null, null, t[1], t[2], training: true),
              r => TrainingRef(r[0], r[1], r[2]), atol: 1e-4);
    }

    [Test]
    public void EvalBatchNormUsesRunningStatisticsAndItsGradients()
    {
        var rm = Tensor.FromArray([0.5f, -1f, 2f]);
        var rv = Tensor.FromArray([1.5f, 0.25f, 4f]);
        Check([[4, 3, 5], [3], [3]], t => F.BatchNorm(t[0], rm, rv, t[1], t[2], training: false),
              r => (r[0] - Channel(RefArray.Of(rm), 3)) / Channel(RefArray.Of(rv).Map(v => Math.Sqrt(v + 1e-5)), 3) * Channel(r[1], 3) + Channel(r[2], 3));
        Assert.That(rm.ToArray(), Is.EqualTo(new[] { 0.5f, -1f, 2f }), "eval leaves the running statistics alone");
    }

    [Test]
    public void RunningStatisticsAfterOneAndTwoStepsFollowPyTorchsFormulas()
    {
        var bn = new BatchNorm2d(3);
        var g = new Generator(5);
        double[] rm = [0, 0, 0], rv = [1, 1, 1];
        for (int step = 1; step <= 2; step++)
        {
            var x = Tensor.Randn([4, 3, 2, 2], g).Mul(step).Add(step);
            bn.Forward(x);
            // running_mean = (1 − m)·running_mean + m·mean; running_var = (1 − m)·running_var + m·var·M/(M − 1), m = 0.1.
            var (mean, variance, m) = Stats(x.ToArray(), x.Shape);
            for (int ch = 0; ch < 3; ch++)
            {
                rm[ch] = 0.9 * rm[ch] + 0.1 * mean[ch];
                rv[ch] = 0.9 * rv[ch] + 0.1 * variance[ch] * m / (m - 1);
            }
            Assert.That(bn.RunningMean!.ToArray(), Is.EqualTo(rm).Within(1e-5), $"running_mean after step {step}");
            Assert.That(bn.RunningVar!.ToArray(), Is.EqualTo(rv).Within(1e-5), $"running_var after step {step}");
            Assert.That(bn.NumBatchesTracked!.Item(), Is.EqualTo(step));
        }

        bn.Eval();
        var probe = Tensor.Randn([2, 3, 2, 2], g);
        var y = bn.Forward(probe).ToArray();
        var xs = probe.ToArray();
        for (int i = 0; i < xs.Length; i++)
        {
            int ch = i / 4 % 3;
            Assert.That(y[i], Is.EqualTo((xs[i] - rm[ch]) / Math.Sqrt(rv[ch] + 1e-5)).Within(1e-5), $"eval output {i}");
        }
        Assert.That(bn.RunningMean!.ToArray(), Is.EqualTo(rm).Within(1e-5), "eval does not update");
        Assert.That(bn.NumBatchesTracked!.Item(), Is.EqualTo(2f));
    }

    [Test]
    public void BatchNorm1dOnFeaturesAndSequences()
    {
        var bn = new BatchNorm1d(3);
        foreach (int[] shape in new[] { new[] { 5, 3 }, [4, 3, 6] })
        {
            var x = Tensor.Randn(shape, new Generator(9)).Mul(3f).Add(1f);
            var y = bn.Forward(x);
            var (mean, variance, _) = Stats(y.ToArray(), shape);
            Assert.That(mean, Is.All.EqualTo(0).Within(1e-5), $"normalised mean {Shape.Format(shape)}");
            Assert.That(variance, Is.All.EqualTo(1).Within(1e-3), $"normalised variance {Shape.Format(shape)}");
        }
        Throws(() => bn.Forward(Tensor.Zeros(2, 3, 4, 4)), "BatchNorm1d", "2D or 3D", "[2, 3, 4, 4]");
        Throws(() => bn.Forward(Tensor.Zeros(2, 4)), "BatchNorm1d(3)", "4 channels");
        Throws(() => bn.Forward(Tensor.Zeros(1, 3)), "more than 1 value per channel");
    }

    [Test]
    public void LayerStateMatchesPyTorchNamesAndDescription()
    {
        var bn = new BatchNorm2d(16);
        Assert.That(bn.StateDict().Keys, Is.EquivalentTo(new[] { "weight", "bias", "running_mean", "running_var", "num_batches_tracked" }));
        Assert.That(bn.NumBatchesTracked!.Shape, Is.Empty);
        Assert.That(bn.Weight!.ToArray(), Is.All.EqualTo(1f));
        Assert.That(bn.Bias!.ToArray(), Is.All.EqualTo(0f));
        Assert.That(bn.ToString(), Is.EqualTo("BatchNorm2d(16, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)"));
        var bare = new BatchNorm1d(4, affine: false, trackRunningStats: false);
        Assert.That(bare.StateDict(), Is.Empty);
        Assert.That(bare.ToString(), Is.EqualTo("BatchNorm1d(4, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False)"));
        // Without running statistics, eval mode still normalises with the batch's.
        bare.Eval();
        var (mean, _, _) = Stats(bare.Forward(Tensor.Randn([8, 4], new Generator(1)).Add(5f)).ToArray(), [8, 4]);
        Assert.That(mean, Is.All.EqualTo(0).Within(1e-5));
        Assert.That(new BatchNorm2d(3).ForwardFlops([2, 3, 4, 4], [2, 3, 4, 4]), Is.EqualTo(192));
    }

    [Test]
    public void CumulativeAverageWhenMomentumIsNone()
    {
        var bn = new BatchNorm1d(1, momentum: null);
        bn.Forward(Tensor.FromArray([1f, 3f], [2, 1]));
        bn.Forward(Tensor.FromArray([5f, 7f], [2, 1]));
        Assert.That(bn.RunningMean!.Item(), Is.EqualTo(4f).Within(1e-6), "the average of the batch means 2 and 6");
        Assert.That(bn.ToString(), Does.Contain("momentum=None"));
    }
}
