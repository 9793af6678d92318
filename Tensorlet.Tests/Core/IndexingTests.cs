using static Tensorlet.Tests.Core.OpTester;

namespace Tensorlet.Tests.Core;

public class IndexingTests
{
    private static Tensor Index(int[] shape, int axis, ulong seed = 5)
    {
        var g = new Generator(seed);
        return Tensor.FromArray(Enumerable.Range(0, Shape.Count(shape)).Select(_ => (float)g.NextInt(axis)).ToArray(), shape);
    }

    [TestCase(0, new[] { 4, 3, 2 })]
    [TestCase(1, new[] { 2, 5, 4 })]
    [TestCase(2, new[] { 2, 3, 6 })]
    [TestCase(1, new[] { 1, 2, 3 })]
    [TestCase(-1, new[] { 2, 1, 2 })]
    public void Gather(int dim, int[] indexShape)
    {
        int[] s = [2, 3, 4];
        // Indices repeat (more picks than the axis has), so the backward must add, not overwrite.
        Check([s], t => t[0].Gather(dim, Index(indexShape, s[dim < 0 ? dim + 3 : dim])),
              r => r[0].Gather(dim, RefArray.Of(Index(indexShape, s[dim < 0 ? dim + 3 : dim]))));
    }

    [Test]
    public void GatherFromAView() =>
        Check([[4, 3]], t => t[0].T.Gather(1, Index([3, 2], 4)), r => r[0].Transpose(0, 1).Gather(1, RefArray.Of(Index([3, 2], 4))));

    [Test]
    public void GatherFromAScalar() =>
        Check([[]], t => t[0].Gather(0, Tensor.Scalar(0f)), r => r[0]);

    [Test]
    public void GatherErrorsNameTheIndexAndTheShapes()
    {
        var x = Tensor.Zeros(2, 3);
        Throws(() => x.Gather(1, T([2, 1], 0f, 3f)), "Gather", "3", "size 3");
        Throws(() => x.Gather(1, T([2, 1], 0f, -1f)), "Gather", "-1");
        Throws(() => x.Gather(1, T([2, 1], 0f, 0.5f)), "Gather", "0.5");
        Throws(() => x.Gather(1, Tensor.Zeros(2)), "Gather", "[2]", "[2, 3]");
        Throws(() => x.Gather(1, Tensor.Zeros(3, 1)), "Gather", "[3, 1]", "[2, 3]");
    }

    private static readonly float[] CondValues = [1f, 0f, 0f, 1f, 1f, 0f];

    [TestCase(new[] { 2, 3 }, new[] { 2, 3 }, new[] { 2, 3 })]
    [TestCase(new[] { 3, 1 }, new[] { 1, 4 }, new int[0])]
    [TestCase(new[] { 4 }, new[] { 3, 1 }, new[] { 3, 4 })]
    [TestCase(new[] { 2, 1, 1 }, new[] { 3 }, new[] { 1, 3 })]
    public void Where(int[] cond, int[] a, int[] b)
    {
        Tensor C() => Tensor.FromArray(Enumerable.Range(0, Shape.Count(cond)).Select(i => CondValues[i % 6]).ToArray(), cond);
        Check([a, b], t => Tensor.Where(C(), t[0], t[1]), r => RefArray.Where(RefArray.Of(C()), r[0], r[1]));
    }

    [TestCase(new[] { 2, 3 })]
    [TestCase(new[] { 3 })]
    [TestCase(new[] { 2, 1 })]
    public void MaskedFill(int[] mask)
    {
        Tensor M() => Tensor.FromArray(Enumerable.Range(0, Shape.Count(mask)).Select(i => CondValues[i % 6]).ToArray(), mask);
        Check([[2, 3]], t => t[0].MaskedFill(M(), -7.5f), r => RefArray.Where(RefArray.Of(M()), RefArray.Full([], -7.5), r[0]));
    }

    [Test]
    public void MaskedFillRejectsAMaskThatWouldGrowTheInput() =>
        Throws(() => Tensor.Zeros(3).MaskedFill(Tensor.Zeros(2, 3), 1f), "MaskedFill", "[2, 3]", "[3]");

    [TestCase(new[] { 1, 2 }, 0f)]
    [TestCase(new[] { 0, 1, 2, 0 }, -1f)]
    [TestCase(new[] { 1, 1, 0, 2, 1, 0 }, 3f)]
    [TestCase(new[] { 0, 0 }, 0f)]
    public void Pad(int[] pads, float value) =>
        Check([[2, 3, 2]], t => t[0].Pad(pads, value), r => r[0].Pad(pads, value));

    [Test]
    public void PadOfATransposedView() =>
        Check([[3, 2]], t => t[0].T.Pad([2, 1, 1, 0]), r => r[0].Transpose(0, 1).Pad([2, 1, 1, 0], 0));

    [Test]
    public void PadErrorsNameTheOp()
    {
        Throws(() => Tensor.Zeros(2, 3).Pad([1]), "Pad", "rank 2");
        Throws(() => Tensor.Zeros(2).Pad([1, 1, 1, 1]), "Pad", "rank 1");
        Throws(() => Tensor.Zeros(2).Pad([-1, 0]), "Pad", "negative");
    }

    [Test]
    public void ComparisonsGiveMasks()
    {
        var a = T([4], 1f, 2f, 3f, 4f);
        var b = T([4], 2f, 2f, 2f, 2f);
        Assert.That(a.Gt(b).ToArray(), Is.EqualTo(new[] { 0f, 0f, 1f, 1f }));
        Assert.That(a.Lt(b).ToArray(), Is.EqualTo(new[] { 1f, 0f, 0f, 0f }));
        Assert.That(a.Eq(b).ToArray(), Is.EqualTo(new[] { 0f, 1f, 0f, 0f }));
        Assert.That(a.Gt(2.5f).ToArray(), Is.EqualTo(new[] { 0f, 0f, 1f, 1f }));
        Assert.That(a.Lt(2.5f).ToArray(), Is.EqualTo(new[] { 1f, 1f, 0f, 0f }));
        Assert.That(a.Eq(3f).ToArray(), Is.EqualTo(new[] { 0f, 0f, 1f, 0f }));
        Throws(() => a.Gt(Tensor.Zeros(3)), "Gt", "[4]", "[3]");
    }
}
