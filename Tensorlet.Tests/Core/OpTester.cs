namespace Tensorlet.Tests.Core;

/// <summary>
/// The one helper every op test goes through (tinygrad's <c>helper_test_op</c>): seeded inputs of the given
/// shapes, the op's output compared with a double-precision <see cref="RefArray"/> reference, then the backward
/// pass compared with finite differences by <see cref="GradCheck"/>.
/// </summary>
public static class OpTester
{
    /// <summary>Makes the values of one input; receives the test's seeded generator and the input's shape.</summary>
    public delegate float[] Init(Generator g, int[] shape);

    /// <param name="shapes">One shape per differentiable input; constants (indices, targets) belong in the closures.</param>
    /// <param name="atol">Absolute forward tolerance; scale it with the magnitude of the outputs.</param>
    /// <param name="init">Input values (default standard normal); keep them away from kinks for non-smooth ops.</param>
    public static void Check(int[][] shapes, Func<Tensor[], Tensor> ours, Func<RefArray[], RefArray> reference,
                             double atol = 1e-5, double rtol = 1e-4, bool gradcheck = true, Init? init = null, ulong seed = 7)
    {
        var g = new Generator(seed);
        var inputs = shapes.Select(s => Tensor.FromArray((init ?? Randn)(g, s), s, requiresGrad: gradcheck)).ToArray();
        AssertClose(ours(inputs), reference(inputs.Select(RefArray.Of).ToArray()), atol, rtol);
        if (!gradcheck) return;
        var result = GradCheck.Run(ours, inputs);
        Assert.That(result.Passed, Is.True, result.ToString());
    }

    /// <summary>Same shape exactly; every element within atol + rtol·|expected| (NaN and infinities must match).</summary>
    public static void AssertClose(Tensor actual, RefArray expected, double atol = 1e-5, double rtol = 1e-4)
    {
        Assert.That(actual.Shape, Is.EqualTo(expected.Shape), "shape");
        var values = actual.ToArray();
        for (int i = 0; i < values.Length; i++)
        {
            double a = values[i], e = expected.Data[i];
            bool ok = double.IsFinite(e) ? Math.Abs(a - e) <= atol + rtol * Math.Abs(e) : a.Equals(e);
            if (!ok) Assert.Fail($"element {i} of shape {Shape.Format(expected.Shape)}: got {a:g9}, expected {e:g9} (atol {atol:g3}, rtol {rtol:g3})");
        }
    }

    /// <summary>Asserts that <paramref name="act"/> throws and that its message names every fragment (the op, the shapes).</summary>
    public static Exception Throws(Action act, params string[] fragments)
    {
        var ex = Assert.Catch(() => act())!;
        foreach (var f in fragments) Assert.That(ex.Message, Does.Contain(f), $"{ex.GetType().Name}: {ex.Message}");
        return ex;
    }

    /// <summary>Tensors with the given values and shape (for hand-written cases and constant inputs).</summary>
    public static Tensor T(int[] shape, params float[] values) => Tensor.FromArray(values, shape);

    // ---- initialisers -----------------------------------------------------------------------------------

    public static float[] Randn(Generator g, int[] shape) =>
        Enumerable.Range(0, Shape.Count(shape)).Select(_ => g.NextNormal()).ToArray();

    /// <summary>Uniform in [0.5, 2): safe for log, sqrt, division and fractional powers.</summary>
    public static float[] Positive(Generator g, int[] shape) =>
        Enumerable.Range(0, Shape.Count(shape)).Select(_ => 0.5f + 1.5f * g.NextFloat()).ToArray();

    /// <summary>
    /// Distinct values on the grid ±0.05, ±0.15, ... in random order: no ties (max/min, argmax) and every value at
    /// least 0.05 from 0 and from any multiple of 0.1 — beyond 2·eps of the kinks of relu, abs and clamp.
    /// </summary>
    public static float[] Distinct(Generator g, int[] shape)
    {
        int n = Shape.Count(shape);
        var v = Enumerable.Range(0, n).Select(k => (k - n / 2 + 0.5f) * 0.1f).ToArray();
        g.Shuffle(v.AsSpan());
        return v;
    }

    /// <summary>Fixed values, repeated to fill the shape.</summary>
    public static Init Values(params float[] values) => (_, shape) =>
        Enumerable.Range(0, Shape.Count(shape)).Select(i => values[i % values.Length]).ToArray();

    /// <summary>Class indices in [0, classes) as floats, the engine's index format.</summary>
    public static Tensor Labels(int n, int classes, ulong seed = 3)
    {
        var g = new Generator(seed);
        return Tensor.FromArray(Enumerable.Range(0, n).Select(_ => (float)g.NextInt(classes)).ToArray(), [n]);
    }
}
