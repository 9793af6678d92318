using Tensorlet.Kernels;
using static Tensorlet.Tests.Kernels.KernelTestKit;

namespace Tensorlet.Tests.Kernels;

public class DenseOperandTests
{
    [Test]
    public void DenseViewIsUsedAsItIs()
    {
        using var buf = Upload(Random(12, 1));
        var view = StridedView.Contiguous(buf, 2, [2, 5]);
        Tensorlet.Tests.Core.TrainingMemoryTests.Settle(); // no finaliser may return memory while it is counted
        long before = Cpu.LiveBytes;
        using var d = DenseOperand.Read(Cpu, view);
        Assert.That(d.IsCopy, Is.False);
        Assert.That(d.Buffer, Is.SameAs(buf));
        Assert.That(d.Offset, Is.EqualTo(2));
        Assert.That(Cpu.LiveBytes, Is.EqualTo(before), "no memory for a dense operand");
    }

    [Test]
    public void StridedInputIsCopiedDenseAndTheCopyReturned()
    {
        var host = Random(3 + 4 * 3, 2);
        using var buf = Upload(host);
        // A transposed 3×4 matrix: element [i, j] at 3 + j·3 + i... read as [4, 3] with strides (1, 4) would be too
        // short, so take the [3, 4] view with strides (1, 3) of the 4×3 block at offset 3.
        var view = new StridedView(buf, 3, [3, 4], [1, 3]);
        Tensorlet.Tests.Core.TrainingMemoryTests.Settle(); // no finaliser may return memory while it is counted
        long before = Cpu.LiveBytes;
        float[] got;
        using (var d = DenseOperand.Read(Cpu, view))
        {
            Assert.That(d.IsCopy, Is.True);
            Assert.That(d.View.IsContiguous, Is.True);
            got = new float[12];
            Cpu.Download(d.Buffer, d.Offset, got);
        }
        Assert.That(Cpu.LiveBytes, Is.EqualTo(before), "the copy went back to the pool");
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 4; j++)
                Assert.That(got[i * 4 + j], Is.EqualTo(host[3 + i + j * 3]), $"[{i}, {j}]");
    }

    [Test]
    public void StridedOutputReceivesTheDenseResultOnComplete()
    {
        using var buf = Upload(new float[8]);
        var target = new StridedView(buf, 0, [4], [2]); // every other element
        using (var d = DenseOperand.Write(Cpu, target))
        {
            Assert.That(d.IsCopy, Is.True);
            Cpu.Upload([1f, 2f, 3f, 4f], d.Buffer, d.Offset);
            d.Complete();
        }
        Assert.That(Download(buf), Is.EqualTo(new[] { 1f, 0f, 2f, 0f, 3f, 0f, 4f, 0f }));
    }
}
