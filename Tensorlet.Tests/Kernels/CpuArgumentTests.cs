using Tensorlet.Kernels;
using Tensorlet.Kernels.Ops;
using static Tensorlet.Tests.Kernels.KernelTestKit;

namespace Tensorlet.Tests.Kernels;

/// <summary>Every entry point refuses bad arguments with a message that names the op, the argument and the sizes.</summary>
public class CpuArgumentTests
{
    private sealed class ForeignBackend : IBackend
    {
        public string Name => "fake";
        public DeviceBuffer Allocate(int length) => new ForeignBuffer(this, length);
        public long PooledBytes => 0;
        public long LiveBytes => 0;
        public void TrimPool() { }
        public void Dispose() { }
        public void Upload(ReadOnlySpan<float> src, DeviceBuffer dst, int dstOffset) => throw new NotSupportedException();
        public void Download(DeviceBuffer src, int srcOffset, Span<float> dst) => throw new NotSupportedException();
        public void Fill(in StridedView dst, float value) => throw new NotSupportedException();
        public void Copy(in StridedView src, in StridedView dst) => throw new NotSupportedException();
        public void Unary<TOp>(in StridedView src, in StridedView dst, float alpha = 0, float beta = 0) where TOp : struct, IUnaryOp<TOp> => throw new NotSupportedException();
        public void Binary<TOp>(in StridedView a, in StridedView b, in StridedView dst, float alpha = 0, float beta = 0) where TOp : struct, IBinaryOp<TOp> => throw new NotSupportedException();
        public void Where(in StridedView cond, in StridedView a, in StridedView b, in StridedView dst) => throw new NotSupportedException();
        public void Reduce(ReduceOp op, in StridedView src, int axis, in StridedView dst, float scale = 1) => throw new NotSupportedException();
        public void Gather(in StridedView src, in StridedView index, int axis, in StridedView dst) => throw new NotSupportedException();
        public void ScatterAdd(in StridedView src, in StridedView index, int axis, in StridedView dst) => throw new NotSupportedException();
        public void Gemm(float alpha, in StridedView a, in StridedView b, float beta, in StridedView c) => throw new NotSupportedException();
        public void Softmax(bool log, in StridedView src, in StridedView dst) => throw new NotSupportedException();
        public void SoftmaxBackward(bool log, in StridedView y, in StridedView grad, in StridedView dst) => throw new NotSupportedException();
        public void CrossEntropy(float labelSmoothing, in StridedView logits, in StridedView target, in StridedView loss, in StridedView logSum) => throw new NotSupportedException();
        public void CrossEntropyBackward(float labelSmoothing, in StridedView logits, in StridedView target, in StridedView logSum, in StridedView grad, float beta, in StridedView dst) => throw new NotSupportedException();
        public void Conv2d(in Conv2dGeometry g, in StridedView x, in StridedView weight, in StridedView? bias, in StridedView y) => throw new NotSupportedException();
        public void Conv2dBackwardInput(in Conv2dGeometry g, in StridedView gradY, in StridedView weight, in StridedView gradX) => throw new NotSupportedException();
        public void Conv2dBackwardWeight(in Conv2dGeometry g, in StridedView x, in StridedView gradY, in StridedView gradW, in StridedView? gradBias) => throw new NotSupportedException();
        public void Unfold(in Conv2dGeometry g, in StridedView x, in StridedView cols) => throw new NotSupportedException();
        public void Fold(in Conv2dGeometry g, in StridedView cols, in StridedView x) => throw new NotSupportedException();
        public void MaxPool2d(in Pool2dGeometry g, in StridedView x, in StridedView y, in StridedView indices) => throw new NotSupportedException();
        public void MaxPool2dBackward(in Pool2dGeometry g, in StridedView gradY, in StridedView indices, in StridedView gradX) => throw new NotSupportedException();
        public void AvgPool2d(in Pool2dGeometry g, in StridedView x, in StridedView y) => throw new NotSupportedException();
        public void AvgPool2dBackward(in Pool2dGeometry g, in StridedView gradY, in StridedView gradX) => throw new NotSupportedException();
        public void AdaptiveAvgPool2d(in StridedView x, in StridedView y) => throw new NotSupportedException();
        public void AdaptiveAvgPool2dBackward(in StridedView gradY, in StridedView gradX) => throw new NotSupportedException();
        public void BatchNormForward(BatchNormArgs args, in StridedView y) => throw new NotSupportedException();
        public void BatchNormBackward(BatchNormArgs args, in StridedView gradY, BatchNormGrads grads) => throw new NotSupportedException();
        public void DropoutMask(in StridedView mask, float p, ulong seed, ulong counterBase) => throw new NotSupportedException();
    }

    private sealed class ForeignBuffer(IBackend backend, int length) : DeviceBuffer(backend, length)
    {
        protected override void Release() { }
    }

    private static string Message(TestDelegate code) => Assert.Throws(Is.InstanceOf<ArgumentException>(), code)!.Message;

    [Test]
    public void BufferFromAnotherBackendIsRefused()
    {
        using var foreign = new ForeignBackend().Allocate(6);
        using var mine = Cpu.Allocate(6);
        var msg = Message(() => Cpu.Binary<Add>(StridedView.Contiguous(mine, 0, [6]), StridedView.Contiguous(foreign, 0, [6]), StridedView.Contiguous(mine, 0, [6])));
        Assert.That(msg, Does.Contain("Binary(Add)").And.Contain("'b'").And.Contain("'fake'").And.Contain("'cpu'"));
    }

    [Test]
    public void DisposedBufferIsRefused()
    {
        var b = Cpu.Allocate(6);
        b.Dispose();
        var msg = Message(() => Cpu.Fill(StridedView.Contiguous(b, 0, [6]), 1f));
        Assert.That(msg, Does.Contain("Fill").And.Contain("'dst'").And.Contain("disposed"));
        msg = Message(() => Cpu.Download(b, 0, new float[6]));
        Assert.That(msg, Does.Contain("Download").And.Contain("disposed"));
    }

    [Test]
    public void ViewOutsideItsBufferIsRefused()
    {
        using var b = Cpu.Allocate(10);
        using var d = Cpu.Allocate(12);
        var msg = Message(() => Cpu.Unary<Exp>(new StridedView(b, 2, [3, 4], [1, 3]), StridedView.Contiguous(d, 0, [3, 4])));
        Assert.That(msg, Does.Contain("Unary(Exp)").And.Contain("'src'").And.Contain("shape [3, 4]").And.Contain("[2, 13]").And.Contain("10 elements"));
        msg = Message(() => Cpu.Copy(new StridedView(b, 1, [4], [-1]), StridedView.Contiguous(d, 0, [4])));
        Assert.That(msg, Does.Contain("Copy").And.Contain("[-2, 1]"));
        msg = Message(() => Cpu.Upload(new float[5], b, 6));
        Assert.That(msg, Does.Contain("Upload").And.Contain("[6, 11)").And.Contain("10 elements"));
    }

    [Test]
    public void ShapeMismatchNamesBothShapes()
    {
        using var a = Cpu.Allocate(12);
        var msg = Message(() => Cpu.Binary<Mul>(StridedView.Contiguous(a, 0, [3, 4]), StridedView.Contiguous(a, 0, [4, 3]), StridedView.Contiguous(a, 0, [3, 4])));
        Assert.That(msg, Does.Contain("Binary(Mul)").And.Contain("'b' has shape [4, 3]").And.Contain("'dst' has shape [3, 4]"));
        msg = Message(() => Cpu.Where(StridedView.Contiguous(a, 0, [12]), StridedView.Contiguous(a, 0, [12]), StridedView.Contiguous(a, 0, [2, 6]), StridedView.Contiguous(a, 0, [12])));
        Assert.That(msg, Does.Contain("Where").And.Contain("[2, 6]"));
    }

    [Test]
    public void SizedOpsCheckTheirRanges()
    {
        using var a = Cpu.Allocate(12);
        using var d = Cpu.Allocate(2);
        var msg = Message(() => Cpu.Reduce(ReduceOp.Sum, StridedView.Contiguous(a, 1, [2, 3, 2]), 1, StridedView.Contiguous(d, 0, [2, 1, 2])));
        Assert.That(msg, Does.Contain("Reduce(Sum)").And.Contain("'src'").And.Contain("[1, 12]").And.Contain("12 elements"));
        msg = Message(() => Cpu.Reduce(ReduceOp.Max, StridedView.Contiguous(a, 0, [2, 3, 2]), 1, StridedView.Contiguous(d, 0, [2, 1, 2])));
        Assert.That(msg, Does.Contain("'dst'").And.Contain("[0, 3]"));
        msg = Message(() => Cpu.Softmax(true, StridedView.Contiguous(a, 0, [3, 5]), StridedView.Contiguous(a, 0, [3, 5])));
        Assert.That(msg, Does.Contain("LogSoftmax").And.Contain("'src'").And.Contain("shape [3, 5]").And.Contain("[0, 14]"));
        msg = Message(() => Cpu.Gemm(1f, StridedView.Contiguous(a, 0, [3, 2]), StridedView.Contiguous(a, 0, [2, 4]), 0f, StridedView.Contiguous(d, 0, [3, 4])));
        Assert.That(msg, Does.Contain("Gemm").And.Contain("'c'").And.Contain("shape [3, 4]").And.Contain("2 elements"));
        msg = Message(() => Cpu.Reduce(ReduceOp.Sum, StridedView.Contiguous(a, 0, [6, 2]), 2, StridedView.Contiguous(d, 0, [1, 2])));
        Assert.That(msg, Does.Contain("Reduce(Sum)").And.Contain("axis 2 is not a dimension of 'src' [6, 2]"));
        msg = Message(() => Cpu.Reduce(ReduceOp.Sum, StridedView.Contiguous(a, 0, [6, 2]), 0, StridedView.Contiguous(d, 0, [2])));
        Assert.That(msg, Does.Contain("'dst' has shape [2]").And.Contain("gives [1, 2]"));
    }
}
