using Tensorlet.Kernels;
using Tensorlet.Kernels.Cpu;
using Ref = Tensorlet.Kernels.Reference;
using static Tensorlet.Tests.Kernels.KernelTestKit;

namespace Tensorlet.Tests.Kernels;

/// <summary>
/// <see cref="RowSums"/>: many short rows summed four at a time (global average pooling, means over a short last axis).
/// </summary>
public class RowSumsTests
{
    private static double[] Reference(float[] src, int srcOffset, int srcStride, int length, int count, float scale)
    {
        var sums = new double[count];
        for (int r = 0; r < count; r++)
        {
            double s = 0;
            for (int i = 0; i < length; i++) s += src[srcOffset + r * srcStride + i];
            sums[r] = s * scale;
        }
        return sums;
    }

    // Lengths below one Vector128, with every tail, at one and two Vector256s, and up to the maximum; counts around
    // the groups of four; rows apart (stride > length) and results apart (dstStride 3).
    [Test]
    public void MatchesADoubleReference(
        [Values(0, 1, 3, 4, 5, 7, 8, 12, 15, 16, 17, 31, 49, 64, 100, 1023, 1024)] int length,
        [Values(0, 1, 3, 4, 5, 9)] int count,
        [Values(0, 5)] int gap,
        [Values(1, 3)] int dstStride)
    {
        int srcOffset = 2, srcStride = length + gap, dstOffset = 1;
        var src = Random(srcOffset + Math.Max(0, count * srcStride), length * 31 + count + gap, -2f, 5f);
        var dst = Enumerable.Repeat(float.NaN, dstOffset + Math.Max(1, count * dstStride)).ToArray();
        RowSums.Run(src, srcOffset, srcStride, length, count, dst, dstOffset, dstStride, 0.25f);
        var expected = Reference(src, srcOffset, srcStride, length, count, 0.25f);
        for (int r = 0; r < count; r++)
            Assert.That(dst[dstOffset + r * dstStride], Is.EqualTo(expected[r]).Within(1e-5 * (1 + Math.Abs(expected[r]) + length)), $"row {r}");
        for (int i = 0; i < dst.Length; i++)
            if (i < dstOffset || (i - dstOffset) % dstStride != 0 || (i - dstOffset) / dstStride >= count)
                Assert.That(float.IsNaN(dst[i]), $"element {i} is not a result and must be left alone");
    }

    [Test]
    public void ARowGivesTheSameBitsInAGroupOfFourOrAlone([Values(5, 63, 64, 70, 1024)] int length)
    {
        // The thread split decides which rows are finished together, so that must not change any row's arithmetic.
        const int count = 7;
        var src = Random(count * length, length, -1e3f, 1e3f);
        var together = new float[count];
        RowSums.Run(src, 0, length, length, count, together, 0, 1, 1f / length);
        for (int r = 0; r < count; r++)
        {
            var alone = new float[1];
            RowSums.Run(src, r * length, length, length, 1, alone, 0, 1, 1f / length);
            Assert.That(alone[0], Is.EqualTo(together[r]), $"row {r}");
        }
    }

    [Test]
    public void NaNAndInfinityPropagate()
    {
        var src = new float[4 * 20];
        src[3] = float.NaN;
        src[20 + 19] = float.PositiveInfinity;
        src[40 + 7] = float.PositiveInfinity;
        src[40 + 8] = float.NegativeInfinity;
        var dst = new float[4];
        RowSums.Run(src, 0, 20, 20, 4, dst, 0, 1, 1f);
        Assert.That(float.IsNaN(dst[0]) && float.IsPositiveInfinity(dst[1]) && float.IsNaN(dst[2]) && dst[3] == 0f, string.Join(", ", dst));
    }

    [Test]
    public void ARangeOutsideItsArraysIsRefusedBeforeAnythingIsWritten()
    {
        var src = new float[40];
        var dst = new float[4];
        var tooLong = Assert.Throws<ArgumentOutOfRangeException>(() => RowSums.Run(new float[2000], 0, 1025, 1025, 1, dst, 0, 1, 1f));
        Assert.That(tooLong!.Message, Does.Contain("at most 1024"));
        var overrun = Assert.Throws<ArgumentOutOfRangeException>(() => RowSums.Run(src, 1, 10, 10, 4, dst, 0, 1, 1f));
        Assert.That(overrun!.Message, Does.Contain("overrun 40 floats"));
        Assert.Throws<ArgumentOutOfRangeException>(() => RowSums.Run(src, 0, 10, 10, 4, dst, 1, 1, 1f));
        Assert.That(dst, Has.All.EqualTo(0f));
    }

    [Test]
    public void RowsAndResultsMayRunBackwards()
    {
        // Rows from the end of src towards its start, results from the end of dst: the bounds hold either way.
        int length = 10, count = 5;
        var src = Random(count * length, 9, -2f, 5f);
        var dst = Enumerable.Repeat(float.NaN, count).ToArray();
        RowSums.Run(src, (count - 1) * length, -length, length, count, dst, count - 1, -1, 0.5f);
        var expected = Reference(src, 0, length, length, count, 0.5f);
        for (int r = 0; r < count; r++)
            Assert.That(dst[r], Is.EqualTo(expected[r]).Within(1e-5), $"row {r}"); // reversed twice: in place
        Assert.Throws<ArgumentOutOfRangeException>(() => RowSums.Run(src, (count - 1) * length - 1, -length, length, count, dst, count - 1, -1, 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => RowSums.Run(src, (count - 1) * length, -length, length, count, dst, count - 2, -1, 1f));
    }

    [Test]
    public void GlobalPoolingOfPlanesApartMatchesReference()
    {
        // Channels 2 planes apart and samples with a gap: each sample's channels are one run of rows, not the whole range.
        int n = 3, c = 5, h = 4, w = 6, area = h * w, channelStride = area + 7, batchStride = c * channelStride + 11;
        var stored = Random(n * batchStride, 3, -2f, 2f);
        var dense = new float[n * c * area];
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
                Array.Copy(stored, b * batchStride + ch * channelStride, dense, (b * c + ch) * area, area);
        using var dx = Upload(stored);
        using var dy = Upload(Enumerable.Repeat(float.NaN, n * c * 2).ToArray());
        var x = new StridedView(dx, 0, [n, c, h, w], [batchStride, channelStride, w, 1]);
        var y = new StridedView(dy, 0, [n, c, 1, 1], [c * 2, 2, 1, 1]);
        Cpu.AdaptiveAvgPool2d(x, y);
        var got = Download(dy);
        var expected = Ref.Pooling.AdaptiveAvgPool2d(n, c, h, w, 1, 1, dense);
        AssertClose(expected, Enumerable.Range(0, n * c).Select(i => got[2 * i]).ToArray(), 1e-6, 1e-6, "forward");
        Assert.That(Enumerable.Range(0, n * c).All(i => float.IsNaN(got[2 * i + 1])), "the gaps of y are left alone");
    }
}
