using Tensorlet.NN;
using static Tensorlet.Tests.Core.OpTester;

namespace Tensorlet.Tests.Core;

/// <summary>
/// Cross-entropy of [N, C] logits as one graph node over the backend's fused kernel: values and gradients against the
/// definition, and the autograd paths its backward takes — straight into a leaf's existing Grad, a first Grad, a
/// non-leaf, hooked and retained gradients, a Grad of another layout — each checked against the composed ops
/// (log-softmax, gather, mean) that rank-3+ logits still use.
/// </summary>
public class FusedCrossEntropyTests
{
    private static IEnumerable<TestCaseData> Grid()
    {
        foreach (var (rows, classes) in new[] { (1, 1), (3, 1), (7, 5), (4, 33), (2, 130) })
            foreach (float smoothing in new[] { 0f, 0.1f, 1f })
                foreach (var reduction in new[] { Reduction.Mean, Reduction.Sum, Reduction.None })
                    yield return new TestCaseData(rows, classes, smoothing, reduction);
    }

    [TestCaseSource(nameof(Grid))]
    public void ValuesAndGradientsMatchTheDefinition(int rows, int classes, float smoothing, Reduction reduction) =>
        Check([[rows, classes]], t => F.CrossEntropy(t[0], Labels(rows, classes), reduction, smoothing),
              r => SoftmaxLossTests.Reduce(SoftmaxLossTests.CrossEntropyRef(r[0], smoothing, Labels(rows, classes)), reduction));

    [Test]
    public void LargeLogitsKeepTheGradientsDigits([Values(100f, 1000f, 10000f)] float offset, [Values("cpu", "ilgpu-cpu")] string device)
    {
        // A log-sum-exp rounded to the ulp of a large max (1e-3 at 1e4) would put that error into every probability; the
        // backward recomputes them as e^((x − max) − log Σ) instead, the way log-softmax rounds.
        var dev = device == "cpu" ? Device.Cpu : Device.IlgpuCpu;
        float[] values = [offset, offset + 0.5f, offset - 0.25f, offset + 0.125f];
        var x = Tensor.FromArray(values, [1, 4], dev, requiresGrad: true);
        F.CrossEntropy(x, Tensor.FromArray([1f], [1], dev)).Backward();
        double max = values.Max(), sum = values.Sum(v => Math.Exp(v - (double)max));
        var expected = values.Select((v, c) => Math.Exp(v - (double)max) / sum - (c == 1 ? 1 : 0)).ToArray();
        var got = x.Grad!.ToArray();
        for (int c = 0; c < 4; c++) Assert.That(got[c], Is.EqualTo(expected[c]).Within(2e-7), $"class {c} at logits near {offset}");
    }

    [Test]
    public void EmptyBatchGivesAnEmptyLossAndNoGradient()
    {
        var x = Tensor.Zeros([0, 4], requiresGrad: true);
        var loss = F.CrossEntropy(x, Tensor.Zeros([0]), Reduction.Sum);
        loss.Backward();
        Assert.That(loss.Item(), Is.EqualTo(0f));
        Assert.That(x.Grad!.Shape, Is.EqualTo(new[] { 0, 4 }));
    }

    [Test]
    public void ALeafsGradAccumulatesInPlaceAcrossBackwardCalls([Values(0f, 0.1f)] float smoothing)
    {
        var (x, target) = Inputs(6, 9);
        F.CrossEntropy(x, target, labelSmoothing: smoothing).Backward();
        var grad = x.Grad!;
        var once = grad.ToArray();
        Assert.That(once, Is.EqualTo(Composed(x, target, smoothing)).Within(1e-6));
        F.CrossEntropy(x, target, labelSmoothing: smoothing).Backward();
        Assert.That(x.Grad, Is.SameAs(grad), "the second gradient is added into the same Grad");
        Assert.That(grad.ToArray(), Is.EqualTo(once.Select(v => 2 * v).ToArray()).Within(1e-6));
    }

    [Test]
    public void BackwardTwiceThroughARetainedGraphDoubles()
    {
        var (x, target) = Inputs(5, 4);
        var loss = F.CrossEntropy(x, target, Reduction.Sum);
        loss.Backward(retainGraph: true);
        var once = x.Grad!.ToArray();
        loss.Backward();
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(once.Select(v => 2 * v).ToArray()).Within(1e-6));
    }

    [Test]
    public void AFirstGradOutlivesTheStepsScopeAndMemoryStaysFlat()
    {
        var (x, target) = Inputs(8, 16);
        long live = 0;
        for (int step = 0; step < 4; step++)
        {
            using (TensorScope.Begin()) F.CrossEntropy(x, target).Backward();
            if (step == 1)
            {
                // Settled once, here: a leak of steps 3 and 4 would still show, earlier tests' leaks no longer can.
                TrainingMemoryTests.Settle();
                live = x.Device.Backend.LiveBytes;
            }
            if (step == 3) Assert.That(x.Device.Backend.LiveBytes, Is.EqualTo(live), "steps 2 and 4 leave the same memory");
        }
        Assert.That(x.Grad!.IsDisposed, Is.False);
        Assert.That(x.Grad.ToArray(), Is.EqualTo(Composed(x, target, 0f).Select(v => 4 * v).ToArray()).Within(1e-5));
    }

    [Test]
    public void ALeafUsedTwiceGetsBothGradients()
    {
        var (x, target) = Inputs(5, 6);
        var other = Labels(5, 6, seed: 9);
        F.CrossEntropy(x, target).Add(F.CrossEntropy(x, other, labelSmoothing: 0.2f)).Backward();
        var expected = Composed(x, target, 0f).Zip(Composed(x, other, 0.2f), (a, b) => a + b).ToArray();
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(expected).Within(1e-6));
    }

    [Test]
    public void NonLeafLogitsFromALinearGiveTheComposedGradients([Values(0f, 0.1f)] float smoothing)
    {
        var gen = new Generator(5);
        var input = Tensor.Randn([6, 3], gen, requiresGrad: true);
        var target = Labels(6, 4);
        var fused = new Linear(3, 4, generator: new Generator(11));
        var composed = new Linear(3, 4, generator: new Generator(11));
        F.CrossEntropy(fused.Forward(input), target, labelSmoothing: smoothing).Backward();
        var inputGrad = input.Grad!.ToArray();
        input.Grad = null;
        ComposedLoss(composed.Forward(input), target, smoothing).Backward();
        foreach (var (a, b) in fused.Parameters().Zip(composed.Parameters()))
            Assert.That(a.Grad!.ToArray(), Is.EqualTo(b.Grad!.ToArray()).Within(1e-6));
        Assert.That(inputGrad, Is.EqualTo(input.Grad!.ToArray()).Within(1e-6));
        var check = GradCheck.Run(t => F.CrossEntropy(t[0].MatMul(t[1]), target, Reduction.Sum, smoothing),
                                  [Tensor.Randn([6, 3], gen, requiresGrad: true), Tensor.Randn([3, 4], gen, requiresGrad: true)]);
        Assert.That(check.Passed, Is.True, check.ToString());
    }

    [Test]
    public void HooksOnTheLogitsSeeTheWholeGradientAndMayReplaceIt()
    {
        var (x, target) = Inputs(4, 5);
        var other = Labels(4, 5, seed: 8);
        float[]? seen = null;
        using var hook = x.RegisterHook(g =>
        {
            seen = g.ToArray();
            return g.Mul(2f);
        });
        F.CrossEntropy(x, target).Add(F.CrossEntropy(x, other)).Backward();
        var whole = Composed(x, target, 0f).Zip(Composed(x, other, 0f), (a, b) => a + b).ToArray();
        Assert.That(seen, Is.EqualTo(whole).Within(1e-6), "the hook runs once, on the sum over both uses");
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(whole.Select(v => 2 * v).ToArray()).Within(1e-6));
    }

    [Test]
    public void ANonLeafsRetainedGradIsItsGradient()
    {
        var (x, target) = Inputs(3, 7);
        var logits = x.Mul(1f);
        logits.RetainGrad();
        F.CrossEntropy(logits, target).Backward();
        Assert.That(logits.Grad!.ToArray(), Is.EqualTo(Composed(x, target, 0f)).Within(1e-6));
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(Composed(x, target, 0f)).Within(1e-6));
    }

    [Test]
    public void AGradOfAnotherLayoutIsAddedInto()
    {
        var (x, target) = Inputs(3, 5);
        var storage = Tensor.Ones([5, 3]);
        x.Grad = storage.T;
        F.CrossEntropy(x, target).Backward();
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(Composed(x, target, 0f).Select(v => v + 1).ToArray()).Within(1e-6));
    }

    [Test]
    public void AnomalyModeBlamesCrossEntropyForAnInfiniteLossAndPassesAFiniteOne()
    {
        var (x, target) = Inputs(4, 3);
        using (AnomalyMode.Detect())
        {
            F.CrossEntropy(x, target).Backward();
            Assert.That(x.Grad!.ToArray(), Is.EqualTo(Composed(x, target, 0f)).Within(1e-6));
            var huge = Tensor.FromArray([3e38f, -3e38f], [1, 2], requiresGrad: true);
            var e = Assert.Throws<NotFiniteNumberException>(() => F.CrossEntropy(huge, Tensor.FromArray([1f], [1])))!;
            Assert.That(e.Message, Does.Contain("CrossEntropy produced +infinity"));
        }
    }

    [Test]
    public void TheGpuKernelsAgreeWithTheCpuThroughAutograd()
    {
        var gpu = Device.Parse("ilgpu-cpu");
        var (x, target) = Inputs(5, 11);
        var xg = x.Detach().To(gpu);
        xg.RequiresGrad = true;
        var tg = target.To(gpu);
        for (int i = 0; i < 2; i++)
        {
            F.CrossEntropy(x, target, labelSmoothing: 0.1f).Backward();
            var loss = F.CrossEntropy(xg, tg, labelSmoothing: 0.1f);
            loss.Backward();
            Assert.That(loss.Item(), Is.EqualTo(F.CrossEntropy(x, target, labelSmoothing: 0.1f).Item()).Within(1e-6));
        }
        Assert.That(xg.Grad!.ToArray(), Is.EqualTo(x.Grad!.ToArray()).Within(1e-6));
        var bad = Tensor.FromArray([0f, 0f, 0f, 11f, 0f], [5], gpu);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => F.CrossEntropy(xg, bad).Item())!;
        Assert.That(e.Message, Does.StartWith("CrossEntropy: target 11 at row 3 is out of range for 11 classes"));
    }

    [Test]
    public void TheMetaDeviceGivesShapesOnly()
    {
        var x = Tensor.Randn([64, 1000], device: Device.Meta, requiresGrad: true);
        var loss = F.CrossEntropy(x, Tensor.Zeros([64], Device.Meta), labelSmoothing: 0.1f);
        Assert.That(loss.Shape, Is.Empty);
        loss.Backward();
        Assert.That(x.Grad!.Shape, Is.EqualTo(new[] { 64, 1000 }));
        Throws(() => F.CrossEntropy(x, Tensor.Zeros([63], Device.Meta)), "CrossEntropy", "[64, 1000]", "[63]");
    }

    private static (Tensor X, Tensor Target) Inputs(int rows, int classes) =>
        (Tensor.Randn([rows, classes], new Generator(13), requiresGrad: true), Labels(rows, classes));

    // The gradient of the mean loss through the composed ops, on a fresh leaf with x's values.
    private static float[] Composed(Tensor x, Tensor target, float smoothing)
    {
        var copy = Tensor.FromArray(x.Detach().ToArray(), x.Shape, requiresGrad: true);
        ComposedLoss(copy, target, smoothing).Backward();
        return copy.Grad!.ToArray();
    }

    private static Tensor ComposedLoss(Tensor logits, Tensor target, float smoothing)
    {
        var logp = logits.LogSoftmax(1);
        var nll = logp.Gather(1, target.Unsqueeze(1)).Squeeze(1).Neg();
        return (smoothing == 0f ? nll : nll.Mul(1f - smoothing).Add(logp.Mean(1).Mul(-smoothing))).Mean();
    }
}
