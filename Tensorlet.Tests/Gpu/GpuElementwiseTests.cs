using Tensorlet.Kernels;
using Tensorlet.Kernels.Ops;
using Tensorlet.Tests.Kernels;
using static Tensorlet.Tests.Gpu.GpuTestKit;
using static Tensorlet.Tests.Kernels.KernelTestKit;

namespace Tensorlet.Tests.Gpu;

/// <summary>Element-wise GPU kernels (Fill, Copy, Unary, Binary, Where) against the CPU backend over the CPU tests' layouts.</summary>
public class GpuElementwiseTests
{
    [TestCaseSource(typeof(ElementwiseCases), nameof(ElementwiseCases.Unary))]
    public void UnaryMatchesCpu(UnaryOpInfo op)
    {
        var (lo, hi) = ElementwiseCases.Domain(op);
        var (alpha, beta) = ElementwiseCases.Params(op);
        int seed = 0;
        foreach (var (name, inputs, dst) in CpuBackendTests.Layouts(1))
            AssertSameOnBoth($"{op} {name}", [Random(inputs[0].Length, ++seed, lo, hi), Random(dst.Length, ++seed)],
                             (b, m) => op.Run(b, inputs[0].View(m[0]), dst.View(m[1]), alpha, beta), rtol: 2e-6, atol: 1e-7);
    }

    [TestCaseSource(typeof(ElementwiseCases), nameof(ElementwiseCases.Binary))]
    public void BinaryMatchesCpu(BinaryOpInfo op)
    {
        var (lo, hi) = ElementwiseCases.Domain(op);
        var (alpha, beta) = ElementwiseCases.Params(op);
        int seed = 100;
        foreach (var (name, inputs, dst) in CpuBackendTests.Layouts(2))
        {
            var a = Integers(inputs[0].Length, ++seed, -2, 3).Select((v, i) => i % 2 == 0 ? v : lo + (hi - lo) * (v + 2) / 5f).ToArray();
            AssertSameOnBoth($"{op} {name}", [a, Random(inputs[1].Length, ++seed, lo, hi), Random(dst.Length, ++seed)],
                             (bk, m) => op.Run(bk, inputs[0].View(m[0]), inputs[1].View(m[1]), dst.View(m[2]), alpha, beta), rtol: 1e-5, atol: 1e-6);
        }
    }

    [Test]
    public void BinaryAccumulatesInPlace()
    {
        var layout = Layout.Dense(37, 29);
        var bias = Layout.Broadcast([37, 29], true, false);
        AssertSameOnBoth("a += 0.5·bias", [Random(layout.Length, 1), Random(bias.Length, 2)],
                         (b, m) => b.Binary<AddScaled>(layout.View(m[0]), bias.View(m[1]), layout.View(m[0]), 0.5f));
    }

    [Test]
    public void FillCopyAndWhereMatchCpu()
    {
        foreach (var (name, inputs, dst) in CpuBackendTests.Layouts(3))
        {
            AssertSameOnBoth($"fill {name}", [Random(dst.Length, 1)], (b, m) => b.Fill(dst.View(m[0]), 2.5f));
            AssertSameOnBoth($"copy {name}", [Random(inputs[0].Length, 2), Random(dst.Length, 3)],
                             (b, m) => b.Copy(inputs[0].View(m[0]), dst.View(m[1])));
            AssertSameOnBoth($"where {name}",
                             [Integers(inputs[0].Length, 4, 0, 2), Random(inputs[1].Length, 5), Random(inputs[2].Length, 6), Random(dst.Length, 7)],
                             (b, m) => b.Where(inputs[0].View(m[0]), inputs[1].View(m[1]), inputs[2].View(m[2]), dst.View(m[3])));
        }
    }

    [Test]
    public void SpecialValuesPropagateAsOnCpu()
    {
        float[] x = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, 0f, -1000f, 1000f, -2f, 2f, 88f, -88f];
        var layout = Layout.Dense(x.Length);
        foreach (var op in ElementwiseCases.Unary.Where(o => o.Type.Name is "Relu" or "Sigmoid" or "Tanh" or "Exp" or "Clamp" or "Abs" or "Sign"))
            AssertSameOnBoth($"{op} on special values", [x, new float[x.Length]],
                             (b, m) => op.Run(b, layout.View(m[0]), layout.View(m[1]), -1f, 1f), rtol: 2e-6, atol: 0);
        float[] bases = [-2f, -2f, -0.5f, 0f, 2f, float.NaN, -3f];
        float[] exps = [2f, 3f, 0.5f, 0f, -1f, 0f, 0f];
        var pl = Layout.Dense(bases.Length);
        AssertSameOnBoth("pow of negative bases", [bases, exps, new float[bases.Length]],
                         (b, m) => b.Binary<Pow>(pl.View(m[0]), pl.View(m[1]), pl.View(m[2])), rtol: 2e-6, atol: 0);
        AssertSameOnBoth("maximum with NaN", [x, x.Reverse().ToArray(), new float[x.Length]],
                         (b, m) => b.Binary<Maximum>(layout.View(m[0]), layout.View(m[1]), layout.View(m[2])), rtol: 0, atol: 0);
    }
}
