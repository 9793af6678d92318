using static Tensorlet.Tests.Core.OpTester;

namespace Tensorlet.Tests.Core;

/// <summary>
/// ConcatBuffer: its views equal the matching slice of <c>Tensor.Cat</c> and carry the same gradients (finite
/// differences), they share the buffer's memory, and the buffer refuses writes over viewed or written slots and views
/// of unwritten ones.
/// </summary>
public class ConcatBufferTests
{
    // Three parts of 2, 3 and 1 channels in a buffer of 7: the last channel stays unwritten.
    private static readonly int[][] Parts = [[2, 2, 3, 3], [2, 3, 3, 3], [2, 1, 3, 3]];

    private static ConcatBuffer Filled(Tensor[] parts)
    {
        var buffer = new ConcatBuffer([2, 7, 3, 3]);
        foreach (var p in parts) buffer.Append(p);
        return buffer;
    }

    [TestCase(2, 3, TestName = "ExactlyOnePart")]
    [TestCase(3, 1, TestName = "InsideOnePart")]
    [TestCase(0, 5, TestName = "TwoWholeParts")]
    [TestCase(1, 3, TestName = "TwoPartsBothCut")]
    [TestCase(0, 6, TestName = "ThreeWholeParts")]
    [TestCase(1, 5, TestName = "ThreePartsFirstCut")]
    [TestCase(4, 0, TestName = "EmptyWindow")]
    public void WindowEqualsTheSliceOfCatAndBackpropagatesToItsParts(int start, int count)
    {
        using var scope = TensorScope.Begin();
        Check(Parts, t => Filled(t).Channels(start, count), r => RefArray.Cat(r, 1).Slice(1, start, start + count),
              gradcheck: count > 0);
    }

    [Test]
    public void OverlappingWindowsAddTheirGradientsInEachPart()
    {
        using var scope = TensorScope.Begin();
        Check(Parts, t =>
        {
            var buffer = Filled(t);
            return buffer.Channels(0, 3).Mul(buffer.Channels(3, 3)).Add(buffer.Channels(1, 3));
        }, r =>
        {
            var cat = RefArray.Cat(r, 1);
            return cat.Slice(1, 0, 3) * cat.Slice(1, 3, 6) + cat.Slice(1, 1, 4);
        });
    }

    [Test]
    public void WindowIsAViewOfTheBufferNotACopy()
    {
        using var scope = TensorScope.Begin();
        var gen = new Generator(1);
        var parts = Parts.Select(s => Tensor.Randn(s, gen)).ToArray();
        var buffer = Filled(parts);
        var backend = Device.Cpu.Backend;
        TrainingMemoryTests.Settle(); // no finaliser may hand memory back while the pool is counted
        long live = backend.LiveBytes;
        var window = buffer.Channels(1, 4);
        Assert.That(backend.LiveBytes, Is.EqualTo(live), "Channels allocated memory");
        Assert.That(window.Shape, Is.EqualTo(new[] { 2, 4, 3, 3 }));
        Assert.That(window.Strides, Is.EqualTo(new[] { 7 * 9, 9, 3, 1 }), "the buffer's strides: not contiguous across the batch");
        Assert.That(window.IsContiguous, Is.False);
        Assert.That(window.Offset, Is.EqualTo(9));

        var single = new ConcatBuffer(Tensor.Randn([1, 2, 3, 3], gen), 5);
        single.Append(Tensor.Randn([1, 3, 3, 3], gen));
        Assert.That(single.Channels(2, 3).IsContiguous, Is.True, "with one image a channel window is dense");
    }

    [Test]
    public void WriteCopiesOnceSoTheSourceMayGoAway()
    {
        using var scope = TensorScope.Begin();
        var source = Tensor.Randn([2, 3, 3, 3], new Generator(2));
        var expected = source.ToArray();
        var buffer = new ConcatBuffer([2, 5, 3, 3]);
        buffer.Write(2, source);
        source.Dispose();
        Assert.That(buffer.Channels(2, 3).ToArray(), Is.EqualTo(expected));
        Assert.That(buffer.Written, Is.EqualTo(5));
    }

    [Test]
    public void MemoryGoesBackToThePoolWithTheLastView()
    {
        var backend = Device.Cpu.Backend;
        var x = Tensor.Randn([2, 2, 3, 3], new Generator(3), requiresGrad: true);
        TrainingMemoryTests.Settle(); // no finaliser may hand memory back while the pool is counted
        long live = backend.LiveBytes;
        var twice = x.Mul(2f);
        Tensor view;
        using (var buffer = new ConcatBuffer(x, 4))
        {
            buffer.Append(twice);
            view = buffer.Channels(0, 4);
        }
        using (TensorScope.Begin())
        {
            Assert.That(view.Sum().Item(), Is.EqualTo(3 * x.Sum().Item()).Within(1e-4), "the view outlives the disposed buffer");
            view.Sum().Backward();
        }
        Assert.That(x.Grad!.ToArray(), Is.All.EqualTo(3f));
        x.Grad.Dispose();
        twice.Dispose();
        Assert.That(backend.LiveBytes, Is.GreaterThan(live), "the view still holds the buffer");
        view.Dispose();
        Assert.That(backend.LiveBytes, Is.EqualTo(live));
        x.Dispose();
    }

    [Test]
    public void WritingAViewedSlotIsRefused()
    {
        using var scope = TensorScope.Begin();
        var buffer = new ConcatBuffer(Tensor.Zeros([2, 2, 3, 3]), 6);
        buffer.Append(Tensor.Zeros([2, 2, 3, 3]));
        buffer.Channels(1, 2);
        var ex = Throws(() => buffer.Write(2, Tensor.Ones([2, 2, 3, 3])),
                        "ConcatBuffer.Write", "channel 2", "[2, 6, 3, 3]", "view", "[2, 4)", "saved for backward");
        Assert.That(ex, Is.TypeOf<InvalidOperationException>());
        Assert.That(buffer.Channels(0, 4).ToArray(), Is.All.EqualTo(0f), "the refused write changed nothing");
    }

    [Test]
    public void ReadingAnUnwrittenSlotIsRefused()
    {
        using var scope = TensorScope.Begin();
        var buffer = new ConcatBuffer(Tensor.Zeros([2, 2, 3, 3]), 6);
        buffer.Write(4, Tensor.Zeros([2, 1, 3, 3]));
        var ex = Throws(() => buffer.Channels(1, 4), "ConcatBuffer.Channels(1, 4)", "channels [2, 4)", "[2, 6, 3, 3]", "not been written");
        Assert.That(ex, Is.TypeOf<InvalidOperationException>());
        Throws(() => buffer.Channels(5, 1), "channels [5, 6)", "not been written");
    }

    [Test]
    public void OtherMisusesNameTheFault()
    {
        using var scope = TensorScope.Begin();
        var buffer = new ConcatBuffer([2, 4, 3, 3]);
        buffer.Append(Tensor.Zeros([2, 2, 3, 3]));
        Throws(() => buffer.Write(1, Tensor.Zeros([2, 1, 3, 3])), "channels [1, 2) overlap channels [0, 2)", "written once");
        Throws(() => buffer.Append(Tensor.Zeros([2, 1, 4, 3])), "shape [2, 1, 4, 3]", "[2, 4, 3, 3]", "outside dimension 1");
        Throws(() => buffer.Append(Tensor.Zeros([2, 1, 9])), "shape [2, 1, 9]", "[2, 4, 3, 3]");
        Throws(() => buffer.Append(Tensor.Zeros([2, 3, 3, 3])), "ConcatBuffer.Write", "channels [2, 5)", "outside", "[2, 4, 3, 3]");
        Throws(() => buffer.Channels(-1, 2), "ConcatBuffer.Channels", "[-1, 1)", "outside");
        Throws(() => buffer.Channels(0, -1), "ConcatBuffer.Channels", "outside");
        Tensor meta;
        using (Device.Meta.AsDefault()) meta = Tensor.Zeros([2, 1, 3, 3]);
        Throws(() => buffer.Append(meta), "ConcatBuffer.Write", "different devices");
        Throws(() => new ConcatBuffer([4]), "ConcatBuffer", "[N, C, ...]", "[4]");
        Throws(() => new ConcatBuffer(Tensor.Zeros([3]), 4), "ConcatBuffer", "[N, C, ...]", "[3]");
        buffer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => buffer.Channels(0, 2));
        Assert.Throws<ObjectDisposedException>(() => buffer.Append(Tensor.Zeros([2, 1, 3, 3])));
    }
}
