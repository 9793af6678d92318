using Tensorlet.Kernels;
using static Tensorlet.Tests.Kernels.KernelTestKit;

namespace Tensorlet.Tests.Kernels;

/// <summary>
/// Gemm and softmax refuse views that do not fit together with a message naming the operation, the operand and the
/// shapes (every backend shares these checks; <c>ArgumentConformanceTests</c> holds them to the same words). The meta
/// device, which has no memory, still refuses the shape faults.
/// </summary>
public class GemmSoftmaxArgumentTests
{
    private static StridedView Dense(DeviceBuffer buffer, params int[] shape) => StridedView.Contiguous(buffer, 0, shape);

    private static ArgumentException Refused(TestDelegate call) => (ArgumentException)Assert.Throws(Is.InstanceOf<ArgumentException>(), call)!;

    [Test]
    public void GemmNamesTheOperandAndTheShapesThatDisagree()
    {
        using var x = Cpu.Allocate(64);
        var e = Refused(() => Cpu.Gemm(1f, Dense(x, 3, 2), Dense(x, 3, 4), 0f, Dense(x, 3, 4)));
        Assert.That(e.ParamName, Is.EqualTo("b"));
        Assert.That(e.Message, Does.StartWith("Gemm:").And.Contain("'a' has 2 columns but 'b' has 3 rows").And.Contain("a [3, 2], b [3, 4], c [3, 4]"));

        e = Refused(() => Cpu.Gemm(1f, Dense(x, 4, 2), Dense(x, 2, 4), 0f, Dense(x, 3, 4)));
        Assert.That(e.Message, Does.Contain("'a' has 4 rows but 'c' has 3"));

        e = Refused(() => Cpu.Gemm(1f, Dense(x, 3, 2), Dense(x, 2, 5), 0f, Dense(x, 3, 4)));
        Assert.That(e.Message, Does.Contain("'b' has 5 columns but 'c' has 4"));

        e = Refused(() => Cpu.Gemm(1f, Dense(x, 2, 3, 2), Dense(x, 2, 4), 0f, Dense(x, 3, 3, 4)));
        Assert.That(e.ParamName, Is.EqualTo("a"));
        Assert.That(e.Message, Does.Contain("'a' has a batch of 2 but 'c' has 3").And.Contain("batch stride of 0"));

        e = Refused(() => Cpu.Gemm(1f, Dense(x, 2, 2, 3, 2), Dense(x, 2, 4), 0f, Dense(x, 3, 4)));
        Assert.That(e.Message, Does.Contain("'a' has shape [2, 2, 3, 2]").And.Contain("[batch, m, k]"));
    }

    [Test]
    public void GemmRefusesAnOutputThatOverlapsItself()
    {
        using var x = Cpu.Allocate(64);
        // A c whose batch entries are one matrix (stride 0) would be written by every entry at once.
        var e = Refused(() => Cpu.Gemm(1f, Dense(x, 2, 3, 2), Dense(x, 2, 4), 0f, new StridedView(x, 0, [2, 3, 4], [0, 4, 1])));
        Assert.That(e.ParamName, Is.EqualTo("c"));
        Assert.That(e.Message, Does.Contain("'c' (shape [2, 3, 4], strides [0, 4, 1])").And.Contain("more than once"));
        // Rows 2 apart but 4 long overlap too.
        e = Refused(() => Cpu.Gemm(1f, Dense(x, 3, 2), Dense(x, 2, 4), 0f, new StridedView(x, 0, [3, 4], [2, 1])));
        Assert.That(e.Message, Does.Contain("strides [2, 1]"));
        // A single batch entry may have any batch stride.
        Assert.DoesNotThrow(() => Cpu.Gemm(1f, Dense(x, 1, 3, 2), Dense(x, 2, 4), 0f, new StridedView(x, 20, [1, 3, 4], [0, 4, 1])));
    }

    [Test]
    public void GemmRefusesAViewOutsideItsBuffer()
    {
        using var x = Cpu.Allocate(12);
        using var small = Cpu.Allocate(5);
        var e = Refused(() => Cpu.Gemm(1f, new StridedView(small, 0, [3, 2], [1, 3]), Dense(x, 2, 4), 0f, Dense(x, 3, 4)));
        Assert.That(e.ParamName, Is.EqualTo("a"));
        Assert.That(e.Message, Does.Contain("'a' (offset 0, shape [3, 2], strides [1, 3])").And.Contain("5 elements"));
    }

    [Test]
    public void SoftmaxNamesTheFault()
    {
        using var x = Cpu.Allocate(12);
        var e = Refused(() => Cpu.Softmax(false, Dense(x, 3, 4), Dense(x, 4, 3)));
        Assert.That(e.Message, Does.StartWith("Softmax:").And.Contain("'src' has shape [3, 4] but 'dst' has shape [4, 3]"));
        e = Refused(() => Cpu.SoftmaxBackward(true, Dense(x), Dense(x), Dense(x)));
        Assert.That(e.Message, Does.StartWith("LogSoftmaxBackward:").And.Contain("'dst' is a scalar"));
        e = Refused(() => Cpu.Softmax(true, Dense(x, 3, 4), new StridedView(x, 0, [3, 4], [4, 0])));
        Assert.That(e.ParamName, Is.EqualTo("dst"));
        Assert.That(e.Message, Does.StartWith("LogSoftmax:").And.Contain("more than once"));
    }

    [Test]
    public void TheMetaDeviceRefusesTheShapeFaults()
    {
        var meta = Backends.Meta;
        using var x = meta.Allocate(12);
        var e = Refused(() => meta.Gemm(1f, Dense(x, 3, 2), Dense(x, 3, 4), 0f, Dense(x, 3, 4)));
        Assert.That(e.Message, Does.Contain("'a' has 2 columns but 'b' has 3 rows"));
        e = Refused(() => meta.Softmax(false, Dense(x, 3, 4), Dense(x, 4, 3)));
        Assert.That(e.Message, Does.Contain("'src' has shape [3, 4]"));
        Assert.DoesNotThrow(() => meta.Gemm(1f, Dense(x, 3, 2), Dense(x, 2, 4), 0f, Dense(x, 3, 4)), "a meta buffer holds no floats, and needs none");
    }
}
