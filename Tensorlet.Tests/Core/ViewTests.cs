using static Tensorlet.Tests.Core.OpTester;

namespace Tensorlet.Tests.Core;

public class ViewTests
{
    private static readonly int[] S = [2, 3, 4];

    [TestCase(new[] { 6, 4 }, new[] { 6, 4 })]
    [TestCase(new[] { 4, -1 }, new[] { 4, 6 })]
    [TestCase(new[] { -1 }, new[] { 24 })]
    [TestCase(new[] { 2, 1, -1, 3 }, new[] { 2, 1, 4, 3 })]
    public void ViewAndReshape(int[] shape, int[] expected)
    {
        Check([S], t => t[0].View(shape), r => r[0].Reshape(expected));
        Check([S], t => t[0].Reshape(shape), r => r[0].Reshape(expected));
    }

    [Test]
    public void ViewSharesMemory()
    {
        var x = Tensor.Arange(6);
        var v = x.View(2, 3);
        x.AsSpan()[4] = 40f;
        Assert.That(v.ToArray()[4], Is.EqualTo(40f));
    }

    [Test]
    public void ReshapeOfANonViewableTensorCopies()
    {
        Check([[2, 3]], t => t[0].T.Reshape(6), r => r[0].Transpose(0, 1).Reshape([6]));
        Check([[2, 3, 4]], t => t[0].Transpose(0, 1).Reshape(3, -1), r => r[0].Transpose(0, 1).Reshape([3, 8]));
    }

    [Test]
    public void ViewOfAViewableTransposedLayout()
    {
        // Merging dims that stay adjacent in memory is a view even for a non-contiguous tensor.
        Check([[2, 3, 4]], t => t[0].Permute(2, 0, 1).View(4, 6), r => r[0].Permute(2, 0, 1).Reshape([4, 6]));
        Check([[2, 3, 4]], t => t[0].Permute(1, 2, 0).View(12, 2), r => r[0].Permute(1, 2, 0).Reshape([12, 2]));
    }

    [Test]
    public void ReshapeOfAnExpandedView()
    {
        Check([[3, 1]], t => t[0].Expand(3, 4).Reshape(12), r => r[0].Expand([3, 4]).Reshape([12]));
        Check([[3, 1]], t => t[0].Expand(3, 4).View(3, 2, 2), r => r[0].Expand([3, 4]).Reshape([3, 2, 2]));
        Check([[3, 1]], t => t[0].Expand(2, 3, 4).Reshape(6, 4), r => r[0].Expand([2, 3, 4]).Reshape([6, 4]));
    }

    [Test]
    public void ImpossibleViewAndWrongCountsNameTheOpAndShapes()
    {
        Throws(() => Tensor.Zeros(2, 3).T.View(6), "View", "[3, 2]", "[6]", "Reshape");
        Throws(() => Tensor.Zeros(2, 3).Reshape(4), "Reshape", "[4]", "[2, 3]");
        Throws(() => Tensor.Zeros(2, 3).View(-1, 4), "View", "[-1, 4]", "[2, 3]");
        Throws(() => Tensor.Zeros(2, 3).Reshape(-1, -1), "Reshape", "−1");
        Throws(() => Tensor.Zeros(2, 3).Permute(0), "Permute", "[2, 3]");
        Throws(() => Tensor.Zeros(2, 3).Permute(1, 1), "Permute", "twice");
        Throws(() => Tensor.Zeros(2, 3).Expand(2, 4), "Expand", "[2, 3]", "[2, 4]");
        Throws(() => _ = Tensor.Zeros(2, 3, 4).T, "T", "[2, 3, 4]");
        Throws(() => Tensor.Zeros(2, 3).Transpose(0, 2), "Transpose", "2");
        Throws(() => Tensor.Zeros(2, 3).Slice(1, 0, 2, 0), "Slice", "step");
        Throws(() => Tensor.Zeros(2, 3).Flatten(1, 0), "Flatten");
    }

    [TestCase(0, 1)]
    [TestCase(0, 2)]
    [TestCase(-1, -2)]
    public void Transpose(int a, int b) => Check([S], t => t[0].Transpose(a, b), r => r[0].Transpose(a, b));

    [TestCase(new[] { 2, 0, 1 })]
    [TestCase(new[] { 1, 2, 0 })]
    [TestCase(new[] { -1, 0, 1 })]
    public void Permute(int[] dims) =>
        Check([S], t => t[0].Permute(dims), r => r[0].Permute(dims.Select(d => d < 0 ? d + 3 : d).ToArray()));

    [Test]
    public void T() => Check([[2, 3]], t => t[0].T, r => r[0].Transpose(0, 1));

    [TestCase(1, 1, 2)]
    [TestCase(2, 0, 4)]
    [TestCase(-1, 3, 1)]
    public void Narrow(int dim, int start, int length) =>
        Check([S], t => t[0].Narrow(dim, start, length), r => r[0].Slice(dim, start, start + length));

    [Test]
    public void NarrowWrapsANegativeStart() =>
        Check([S], t => t[0].Narrow(2, -2, 2), r => r[0].Slice(2, 2, 4));

    [Test]
    public void NarrowOutOfRangeThrowsInsteadOfClipping()
    {
        // Slice clips like Python; Narrow promises exactly `length` elements, as torch.narrow does.
        Throws(() => Tensor.Zeros(2, 4).Narrow(1, 2, 5), "Narrow", "2", "5", "4");
        Throws(() => Tensor.Zeros(2, 4).Narrow(1, 5, 0), "Narrow", "5");
        Throws(() => Tensor.Zeros(2, 4).Narrow(1, -5, 1), "Narrow", "-5");
        Throws(() => Tensor.Zeros(2, 4).Narrow(1, 1, -1), "Narrow", "-1");
        Assert.That(Tensor.Zeros(2, 4).Narrow(1, 4, 0).Shape, Is.EqualTo(new[] { 2, 0 }));
    }

    [TestCase(2, 0, 4, 2, 0, 4)]
    [TestCase(2, 1, 4, 2, 1, 4)]
    [TestCase(1, 0, 3, 2, 0, 3)]
    [TestCase(2, -3, -1, 1, 1, 3)]
    [TestCase(2, -100, 100, 3, 0, 4)]
    [TestCase(0, 1, 1, 1, 1, 1)]
    public void Slice(int dim, int start, int end, int step, int refStart, int refEnd) =>
        Check([S], t => t[0].Slice(dim, start, end, step), r => r[0].Slice(dim, refStart, refEnd, step));

    [Test]
    public void SliceOfATransposedSlice() =>
        Check([[4, 6]], t => t[0].Slice(1, 1, 6, 2).T.Slice(1, 1, 4, 2), r => r[0].Slice(1, 1, 6, 2).Transpose(0, 1).Slice(1, 1, 4, 2));

    [TestCase(new[] { 3, 1 }, new[] { 3, 4 })]
    [TestCase(new[] { 3, 1 }, new[] { 2, 3, 5 })]
    [TestCase(new[] { 1 }, new[] { 4 })]
    [TestCase(new int[0], new[] { 2, 2 })]
    public void Expand(int[] from, int[] to) => Check([from], t => t[0].Expand(to), r => r[0].Expand(to));

    [Test]
    public void ExpandKeepsSizesGivenAsMinusOne()
    {
        Check([[3, 1]], t => t[0].Expand(2, -1, 4), r => r[0].Expand([2, 3, 4]));
        Check([[3, 1], [2, 3, 4]], t => t[0].ExpandAs(t[1]).Add(t[1]), r => r[0] + r[1]);
    }

    [Test]
    public void SqueezeAndUnsqueeze()
    {
        Check([[2, 1, 3, 1]], t => t[0].Squeeze(), r => r[0].Reshape([2, 3]));
        Check([[2, 1, 3, 1]], t => t[0].Squeeze(1), r => r[0].Reshape([2, 3, 1]));
        Check([[2, 1, 3, 1]], t => t[0].Squeeze(-1), r => r[0].Reshape([2, 1, 3]));
        Check([[2, 1, 3, 1]], t => t[0].Squeeze(0), r => r[0]);
        Check([[2, 3]], t => t[0].Unsqueeze(0), r => r[0].Reshape([1, 2, 3]));
        Check([[2, 3]], t => t[0].Unsqueeze(-1), r => r[0].Reshape([2, 3, 1]));
        Check([[2, 3]], t => t[0].Unsqueeze(1), r => r[0].Reshape([2, 1, 3]));
        Check([[]], t => t[0].Unsqueeze(0), r => r[0].Reshape([1]));
    }

    [Test]
    public void ScalarsTransposeAndPermuteToThemselves()
    {
        Check([[]], t => t[0].Transpose(0, -1), r => r[0]);
        Check([[]], t => t[0].Permute(), r => r[0]);
    }

    [Test]
    public void ContiguousCopiesAStridedView()
    {
        Check([S], t => t[0].Transpose(0, 2).Contiguous(), r => r[0].Transpose(0, 2));
        var x = Tensor.Zeros(2, 3);
        Assert.That(x.Contiguous(), Is.SameAs(x));
        var c = x.T.Contiguous();
        Assert.That(c.IsContiguous, Is.True);
        Assert.That(c.Strides, Is.EqualTo(new[] { 2, 1 }));
    }

    [TestCase(0, -1, new[] { 24 }, new[] { 24 })]
    [TestCase(1, -1, new[] { 2, 12 }, new[] { 4, 6 })]
    [TestCase(0, 1, new[] { 6, 4 }, new[] { 12, 2 })]
    [TestCase(1, 1, new[] { 2, 3, 4 }, new[] { 4, 3, 2 })]
    public void Flatten(int start, int end, int[] expected, int[] expectedTransposed)
    {
        Check([S], t => t[0].Flatten(start, end), r => r[0].Reshape(expected));
        Check([S], t => t[0].Transpose(0, 2).Flatten(start, end), r => r[0].Transpose(0, 2).Reshape(expectedTransposed));
    }

    [Test]
    public void FlattenOfAScalarHasOneElement() => Check([[]], t => t[0].Flatten(), r => r[0].Reshape([1]));

    [Test]
    public void GradientsOfOverlappingViewsAddUp() =>
        Check([[3, 4]], t => t[0].Narrow(1, 0, 3).Mul(t[0].Slice(1, 1, 4)).Add(t[0].T.Narrow(0, 0, 3).T),
              r => r[0].Slice(1, 0, 3) * r[0].Slice(1, 1, 4) + r[0].Slice(1, 0, 3));
}
