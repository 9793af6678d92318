using static Tensorlet.Tests.Core.OpTester;

namespace Tensorlet.Tests.Core;

public class JoiningTests
{
    private static int[] With(int[] shape, int dim, int size)
    {
        var s = (int[])shape.Clone();
        s[dim < 0 ? dim + s.Length : dim] = size;
        return s;
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(-1)]
    public void Cat(int dim)
    {
        int[] s = [2, 3, 4];
        Check([With(s, dim, 1), With(s, dim, 3), With(s, dim, 2)], t => Tensor.Cat(t, dim), r => RefArray.Cat(r, dim));
    }

    [Test]
    public void CatOfViewsAndOfAnEmptyPiece()
    {
        Check([[3, 2], [2, 3]], t => Tensor.Cat([t[0].T, t[1]], 1), r => RefArray.Cat([r[0].Transpose(0, 1), r[1]], 1));
        Check([[2, 0], [2, 3]], t => Tensor.Cat(t, 1), r => RefArray.Cat(r, 1));
    }

    [Test]
    public void CatAndStackOfTheSameTensorAddTheGradients()
    {
        Check([[2, 3]], t => Tensor.Cat([t[0], t[0].Mul(2f), t[0]], 1), r => RefArray.Cat([r[0], r[0] * 2, r[0]], 1));
        Check([[2, 3]], t => Tensor.Stack([t[0], t[0].T.T], 1), r => RefArray.Stack([r[0], r[0]], 1));
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(-1)]
    public void Stack(int dim) =>
        Check([[2, 3], [2, 3], [2, 3]], t => Tensor.Stack(t, dim), r => RefArray.Stack(r, dim < 0 ? dim + 3 : dim));

    [Test]
    public void SplitBySize()
    {
        for (int i = 0; i < 3; i++)
        {
            int part = i, start = 2 * i, end = Math.Min(5, 2 * i + 2);
            Check([[3, 5]], t => t[0].Split(2, 1)[part], r => r[0].Slice(1, start, end));
        }
        Assert.That(Tensor.Zeros(3, 5).Split(2, -1).Select(p => p.Size(1)), Is.EqualTo(new[] { 2, 2, 1 }));
    }

    [Test]
    public void SplitBySizes()
    {
        int[] sizes = [1, 0, 3];
        int[] starts = [0, 1, 1];
        for (int i = 0; i < sizes.Length; i++)
        {
            int part = i;
            Check([[4, 2]], t => t[0].Split(sizes)[part], r => r[0].Slice(0, starts[part], starts[part] + sizes[part]));
        }
    }

    [TestCase(5, 3, new[] { 2, 2, 1 })]
    [TestCase(6, 4, new[] { 2, 2, 2 })]
    [TestCase(4, 4, new[] { 1, 1, 1, 1 })]
    [TestCase(2, 5, new[] { 1, 1 })]
    public void ChunkSizesFollowTorch(int size, int chunks, int[] expected)
    {
        var parts = Tensor.Zeros(3, size).Chunk(chunks, 1);
        Assert.That(parts.Select(p => p.Size(1)), Is.EqualTo(expected));
    }

    [Test]
    public void ChunkPiecesCarryValuesAndGradients()
    {
        for (int i = 0; i < 3; i++)
        {
            int part = i;
            Check([[5, 2]], t => t[0].Chunk(3)[part], r => r[0].Slice(0, 2 * part, Math.Min(5, 2 * part + 2)));
        }
        Check([[5, 2]], t => t[0].Chunk(3)[0].Mul(t[0].Chunk(3)[1]), r => r[0].Slice(0, 0, 2) * r[0].Slice(0, 2, 4));
    }

    [Test]
    public void EmptyDimsSplitLikeTorch()
    {
        // torch: split gives at least one piece; chunk of an empty dim gives `chunks` empty pieces.
        Assert.That(Tensor.Zeros(0, 2).Split(2).Select(p => p.Size(0)), Is.EqualTo(new[] { 0 }));
        Assert.That(Tensor.Zeros(0, 2).Chunk(3).Select(p => p.Size(0)), Is.EqualTo(new[] { 0, 0, 0 }));
        Assert.That(Tensor.Zeros(2, 0).Chunk(2, 1).Select(p => p.Size(1)), Is.EqualTo(new[] { 0, 0 }));
    }

    [Test]
    public void ErrorsNameTheOpAndTheShapes()
    {
        Throws(() => Tensor.Cat([Tensor.Zeros(2, 3), Tensor.Zeros(2, 4)], 0), "Cat", "[2, 4]", "[2, 3]", "dimension 0");
        Throws(() => Tensor.Cat([Tensor.Zeros(2, 3), Tensor.Zeros(3)], 0), "Cat", "[3]", "[2, 3]");
        Throws(() => Tensor.Cat([], 0), "Cat");
        Throws(() => Tensor.Cat([Tensor.Scalar(1f), Tensor.Scalar(2f)]), "Cat", "0-d", "Stack");
        Throws(() => Tensor.Scalar(1f).Split(1), "Split", "0-d");
        Throws(() => Tensor.Scalar(1f).Chunk(1), "Chunk", "0-d");
        Throws(() => Tensor.Stack([Tensor.Zeros(2, 3), Tensor.Zeros(3, 2)]), "Stack", "[3, 2]", "[2, 3]");
        Throws(() => Tensor.Zeros(4, 2).Split([1, 2]), "Split", "[1, 2]", "4", "[4, 2]");
        Throws(() => Tensor.Zeros(4, 2).Split(0), "Split", "0");
        Throws(() => Tensor.Zeros(4, 2).Chunk(0), "Chunk", "0");
    }
}
