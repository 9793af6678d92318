using System.Runtime.Intrinsics;
using Tensorlet.Kernels;
using Tensorlet.Kernels.Cpu;
using Ref = Tensorlet.Kernels.Reference;
using static Tensorlet.Tests.Kernels.KernelTestKit;

namespace Tensorlet.Tests.Kernels;

/// <summary>The float exp softmax's rows use, in both vector widths, and the log-softmax backward's fallback past its range.</summary>
public class FastExpTests
{
    [Test]
    public void ExpIsAccurateOverItsRangeInBothWidths()
    {
        double worst = 0;
        for (double v = VectorMath.ExpFloor + 1e-3; v <= VectorMath.ExpCeiling; v += 0.0137)
        {
            float x = (float)v;
            double exact = Math.Exp(x);
            float wide = VectorMath.ExpUpTo88(Vector512.Create(x)).GetElement(5);
            float narrow = VectorMath.ExpUpTo88(Vector256.Create(x)).GetElement(3);
            worst = Math.Max(worst, Math.Max(Math.Abs(wide - exact), Math.Abs(narrow - exact)) / exact);
        }
        Assert.That(worst, Is.LessThan(2e-7), "largest relative error over [floor, 88]");
    }

    [Test]
    public void ExpOfSpecialValues()
    {
        float[] inputs = [0f, -88f, -1000f, float.NegativeInfinity, float.NaN];
        foreach (float x in inputs)
        {
            float wide = VectorMath.ExpUpTo88(Vector512.Create(x)).GetElement(0);
            float narrow = VectorMath.ExpUpTo88(Vector256.Create(x)).GetElement(0);
            float expected = float.IsNaN(x) ? float.NaN : x < VectorMath.ExpFloor ? 0f : MathF.Exp(x);
            Assert.That(wide, Is.EqualTo(expected), $"512-bit exp({x})");
            Assert.That(narrow, Is.EqualTo(expected), $"256-bit exp({x})");
        }
    }

    [Test]
    public void LogSoftmaxBackwardHandlesOutputsPastTheFastRange()
    {
        // y is a log-softmax output in real use (≤ 0), but the kernel takes any y: lanes above 88 use the runtime's exp.
        const int rows = 2, cols = 41;
        var y = Random(rows * cols, 5, -3f, 3f);
        y[3] = 88.5f;
        y[cols + 20] = 88.7f;
        var g = Random(rows * cols, 6, -1e-3f, 1e-3f);
        using var yd = Upload(y);
        using var gd = Upload(g);
        using var dx = Cpu.Allocate(rows * cols);
        Cpu.SoftmaxBackward(true, StridedView.Contiguous(yd, 0, [rows, cols]), StridedView.Contiguous(gd, 0, [rows, cols]),
                            StridedView.Contiguous(dx, 0, [rows, cols]));
        AssertClose(Ref.Softmax.Backward(true, y, g, rows, cols), Download(dx), 1e-5, 1e-6, "log-softmax backward with y past 88");
    }
}
