using Tensorlet.Kernels;
using Ref = Tensorlet.Kernels.Reference;
using static Tensorlet.Tests.Kernels.KernelTestKit;

namespace Tensorlet.Tests.Kernels;

/// <summary>A log-softmax output of at least 4M floats is written with non-temporal stores; it must equal the cached path bit for bit.</summary>
public class CpuLogSoftmaxStreamTests
{
    // 1027 columns: every row starts at a different 32-byte phase and ends in a scalar tail; 4090 rows: 4.2M floats.
    [TestCase(4090, 1027, 0)]
    [TestCase(4096, 1024, 3)]
    public void StreamedRowsEqualCachedRowsAndTheReference(int rows, int cols, int offset)
    {
        var x = Random(rows * cols + offset, rows + cols, -20f, 20f);
        using var src = Upload(x);
        using var y = Upload(CpuPoolingTests.Garbage(rows * cols + offset));
        Cpu.Softmax(true, StridedView.Contiguous(src, offset, [rows, cols]), StridedView.Contiguous(y, offset, [rows, cols]));
        var streamed = Download(y);
        Assert.That(streamed[..offset].All(float.IsNaN), "nothing written before the view");

        // A handful of rows, each computed alone (far below the streaming size), must give the same bits.
        foreach (int r in new[] { 0, 1, 7, rows / 2 + 3, rows - 1 })
        {
            using var one = Cpu.Allocate(cols);
            Cpu.Softmax(true, StridedView.Contiguous(src, offset + r * cols, [1, cols]), StridedView.Contiguous(one, 0, [1, cols]));
            Assert.That(streamed.AsSpan(offset + r * cols, cols).ToArray(), Is.EqualTo(Download(one)), $"row {r}");
            var expected = Ref.Softmax.Forward(true, x.AsSpan(offset + r * cols, cols).ToArray(), 1, cols);
            AssertClose(expected, streamed.AsSpan(offset + r * cols, cols).ToArray(), 2e-5, 1e-5, $"row {r} vs reference");
        }
    }
}
