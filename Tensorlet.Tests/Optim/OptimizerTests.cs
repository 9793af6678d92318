using Tensorlet.Optim;
using static Tensorlet.Tests.Optim.ReferenceOptimizers;

namespace Tensorlet.Tests.Optim;

public class OptimizerTests
{
    private static readonly int[][] Shapes = [[3, 4], [4]];

    /// <summary>A named optimizer setting with its reference rule.</summary>
    public sealed record Case(string Name, Func<IEnumerable<Tensor>, Optimizer> Create,
                              Func<double[][], double[]?[][], double[][][]> Reference, bool SkipAGradient = false)
    {
        public override string ToString() => Name;
    }

    public static IEnumerable<Case> Cases()
    {
        yield return Sgd("sgd plain", new SgdSettings(0.1));
        yield return Sgd("sgd momentum", new SgdSettings(0.1, Momentum: 0.9));
        yield return Sgd("sgd momentum dampening", new SgdSettings(0.1, Momentum: 0.9, Dampening: 0.3));
        yield return Sgd("sgd nesterov", new SgdSettings(0.1, Momentum: 0.9, Nesterov: true));
        yield return Sgd("sgd weight decay", new SgdSettings(0.1, Momentum: 0.5, WeightDecay: 0.05));
        yield return Adam("adam", new AdamSettings(0.01));
        yield return Adam("adam weight decay", new AdamSettings(0.01, WeightDecay: 0.1));
        // β₂ = 0.5 with shrinking gradients makes v fall, so the running maximum actually differs from v.
        yield return Adam("adam amsgrad", new AdamSettings(0.01, Beta2: 0.5, AmsGrad: true));
        yield return Adam("adamw", new AdamSettings(0.01, WeightDecay: 0.1, Decoupled: true));
        yield return Adam("adam, a parameter without gradient at step 2", new AdamSettings(0.01)) with { SkipAGradient = true };
    }

    private static Case Sgd(string name, SgdSettings s) => new(name,
        ps => new SGD(ps, (float)s.Lr, (float)s.Momentum, (float)s.Dampening, (float)s.WeightDecay, s.Nesterov),
        (p, g) => ReferenceOptimizers.Sgd(p, g, s));

    private static Case Adam(string name, AdamSettings s) => new(name,
        ps => s.Decoupled
            ? new AdamW(ps, (float)s.Lr, (float)s.Beta1, (float)s.Beta2, (float)s.Eps, (float)s.WeightDecay, s.AmsGrad)
            : new Adam(ps, (float)s.Lr, (float)s.Beta1, (float)s.Beta2, (float)s.Eps, (float)s.WeightDecay, s.AmsGrad),
        (p, g) => ReferenceOptimizers.Adam(p, g, s));

    /// <summary>Initial values and three steps of gradients, exactly representable in float so both sides start equal.</summary>
    private static (double[][] Initial, double[]?[][] Grads) Inputs(bool skipAGradient)
    {
        var gen = new Generator(7);
        double[] Draw(int n, double scale) => Enumerable.Range(0, n).Select(_ => (double)(float)(scale * gen.NextNormal())).ToArray();
        var initial = Shapes.Select(s => Draw(Shape.Count(s), 1)).ToArray();
        var grads = new double[]?[3][];
        double[] scales = [1, 0.3, 0.01];
        for (int step = 0; step < 3; step++)
            grads[step] = Shapes.Select(s => (double[]?)Draw(Shape.Count(s), scales[step])).ToArray();
        if (skipAGradient) grads[1][1] = null;
        return (initial, grads);
    }

    private static Tensor[] MakeParameters(double[][] initial) =>
        initial.Select((v, i) => Tensor.FromArray(v.Select(x => (float)x).ToArray(), Shapes[i], requiresGrad: true)).ToArray();

    private static void SetGrads(Tensor[] ps, double[]?[] grads)
    {
        for (int i = 0; i < ps.Length; i++)
            ps[i].Grad = grads[i] is { } g ? Tensor.FromArray(g.Select(x => (float)x).ToArray(), Shapes[i]) : null;
    }

    private static void AssertClose(Tensor[] ps, double[][] expected, string context)
    {
        for (int i = 0; i < ps.Length; i++)
        {
            var actual = ps[i].ToArray();
            for (int k = 0; k < actual.Length; k++)
                Assert.That(actual[k], Is.EqualTo(expected[i][k]).Within(2e-6 * Math.Max(1, Math.Abs(expected[i][k]))),
                    $"{context}: parameter {i}, element {k}");
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void ThreeStepsMatchTheDocumentedRule(Case c)
    {
        var (initial, grads) = Inputs(c.SkipAGradient);
        var expected = c.Reference(initial, grads);
        var ps = MakeParameters(initial);
        using var opt = c.Create(ps);
        for (int step = 0; step < 3; step++)
        {
            SetGrads(ps, grads[step]);
            opt.Step();
            AssertClose(ps, expected[step], $"{c.Name}, step {step + 1}");
        }
        Assert.That(opt.StepCount, Is.EqualTo(3));
    }

    [TestCaseSource(nameof(Cases))]
    public void StateSavedAfterOneStepContinuesIdentically(Case c)
    {
        var (initial, grads) = Inputs(c.SkipAGradient);
        var straight = MakeParameters(initial);
        using var opt = c.Create(straight);
        SetGrads(straight, grads[0]);
        opt.Step();
        var resumed = straight.Select(p => Tensor.FromArray(p.ToArray(), p.Shape, requiresGrad: true)).ToArray();
        using var fresh = c.Create(resumed);
        fresh.LoadState(opt.StateTensors(), opt.StepCount, opt.ParameterSteps);
        for (int step = 1; step < 3; step++)
        {
            SetGrads(straight, grads[step]);
            opt.Step();
            SetGrads(resumed, grads[step]);
            fresh.Step();
        }
        for (int i = 0; i < straight.Length; i++)
            Assert.That(resumed[i].ToArray(), Is.EqualTo(straight[i].ToArray()), $"{c.Name}: parameter {i}");
    }

    [Test]
    public void StateIsNamedLikePyTorch()
    {
        var ps = MakeParameters(Inputs(false).Initial);
        using var adam = new Adam(ps, amsgrad: true);
        Assert.That(adam.StateTensors(), Is.Empty);
        SetGrads(ps, Inputs(false).Grads[0]);
        adam.Step();
        Assert.That(adam.StateTensors().Keys, Is.EqualTo(new[]
        {
            "0.exp_avg", "0.exp_avg_sq", "0.max_exp_avg_sq", "1.exp_avg", "1.exp_avg_sq", "1.max_exp_avg_sq",
        }));
        using var sgd = new SGD(ps, 0.1f, momentum: 0.9f);
        sgd.Step();
        Assert.That(sgd.StateTensors().Keys, Is.EqualTo(new[] { "0.momentum_buffer", "1.momentum_buffer" }));
    }

    [Test]
    public void LoadStateListsEveryProblemAndChangesNothing()
    {
        var ps = MakeParameters(Inputs(false).Initial);
        using var adam = new Adam(ps);
        var bad = new Dictionary<string, Tensor>
        {
            ["0.exp_avg"] = Tensor.Zeros(3, 4),
            ["1.exp_avg"] = Tensor.Zeros(5),
            ["1.exp_avg_sq"] = Tensor.Zeros(4),
            ["2.exp_avg"] = Tensor.Zeros(4),
            ["0.momentum_buffer"] = Tensor.Zeros(3, 4),
        };
        var ex = Assert.Throws<InvalidDataException>(() => adam.LoadState(bad, 1));
        Assert.That(ex!.Message, Does.Contain("missing key '0.exp_avg_sq'"));
        Assert.That(ex.Message, Does.Contain("size mismatch for '1.exp_avg': state has [5], parameter 1 has [4]"));
        Assert.That(ex.Message, Does.Contain("unexpected key '2.exp_avg'"));
        Assert.That(ex.Message, Does.Contain("unexpected key '0.momentum_buffer'"));
        Assert.That(adam.StateTensors(), Is.Empty);
        Assert.That(adam.StepCount, Is.Zero);

        var missing = Assert.Throws<InvalidDataException>(() => adam.LoadState(new Dictionary<string, Tensor>(), 2, [2, 2]));
        Assert.That(missing!.Message, Does.Contain("missing state for parameter 0, which took 2 steps"));
    }
}
