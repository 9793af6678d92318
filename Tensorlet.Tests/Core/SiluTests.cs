using Tensorlet.NN;
using static Tensorlet.Tests.Core.OpTester;

namespace Tensorlet.Tests.Core;

/// <summary>SiLU (x·σ(x)): forward against a double-precision reference, GradCheck, the saturated tails, and its forms.</summary>
public class SiluTests
{
    private static double Reference(double x) => x / (1 + Math.Exp(-x));

    [Test]
    public void MatchesDoublePrecisionAndGradCheck() =>
        Check([[3, 5]], t => t[0].Silu(), r => r[0].Map(Reference));

    [Test]
    public void MatchesDoublePrecisionOverAWideRangeOnBothDevices([Values("cpu", "ilgpu-cpu")] string device)
    {
        // Includes 1000-odd elements, so the CPU's vector form and its scalar tail both run.
        var g = new Generator(11);
        var x = Enumerable.Range(0, 1003).Select(_ => 12f * g.NextNormal()).ToArray();
        var y = Tensor.FromArray(x, [x.Length], Device.Parse(device)).Silu().ToArray();
        for (int i = 0; i < x.Length; i++)
        {
            double e = Reference(x[i]);
            Assert.That(y[i], Is.EqualTo(e).Within(2e-6 * Math.Abs(e) + 1e-30), $"silu({x[i]:R}) on {device}");
        }
    }

    [Test]
    public void SaturatesWithoutNaN([Values("cpu", "ilgpu-cpu")] string device)
    {
        var x = Tensor.FromArray([-100f, -30f, 0f, 30f, 100f], [5], Device.Parse(device), requiresGrad: true);
        var y = x.Silu();
        y.Sum().Backward();
        var values = y.ToArray();
        Assert.That(values[3], Is.EqualTo(30f));
        Assert.That(values[4], Is.EqualTo(100f));
        Assert.That(values[2], Is.EqualTo(0f));
        Assert.That(values[0], Is.EqualTo(0f).Within(1e-40));
        Assert.That(values[1], Is.EqualTo(-2.8e-12).Within(1e-13));
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 0f, -2.7e-12f, 0.5f, 1f, 1f }).Within(1e-13));
    }

    [Test]
    public void FunctionalAndModuleFormsMatchTheMethod()
    {
        var x = T([4], -2f, -0.5f, 0.25f, 3f);
        Assert.That(F.Silu(x).ToArray(), Is.EqualTo(x.Silu().ToArray()));
        using var module = new SiLU();
        Assert.That(module.Forward(x).ToArray(), Is.EqualTo(x.Silu().ToArray()));
        Assert.That(module.ToString(), Is.EqualTo("SiLU()"));
        Assert.That(module.Parameters(), Is.Empty);
    }
}
