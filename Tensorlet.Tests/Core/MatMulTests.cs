using static Tensorlet.Tests.Core.OpTester;

namespace Tensorlet.Tests.Core;

public class MatMulTests
{
    private static IEnumerable<TestCaseData> Shapes() => new (int[] A, int[] B)[]
    {
        ([4], [4]),
        ([3, 4], [4]),
        ([4], [4, 2]),
        ([3, 4], [4, 2]),
        ([1, 4], [4, 1]),
        ([2, 3, 4], [2, 4, 5]),
        ([2, 1, 3, 4], [5, 4, 2]),
        ([5, 4, 2], [2, 1, 2, 3]),
        ([2, 3, 4], [4, 2]),
        ([3, 4], [2, 4, 2]),
        ([4], [2, 4, 3]),
        ([2, 3, 4], [4]),
    }.Select(s => new TestCaseData(s.A, s.B).SetArgDisplayNames(Shape.Format(s.A), Shape.Format(s.B)));

    [TestCaseSource(nameof(Shapes))]
    public void MatMul(int[] a, int[] b) => Check([a, b], t => t[0].MatMul(t[1]), r => RefArray.MatMul(r[0], r[1]));

    [Test]
    public void TransposedOperands()
    {
        Check([[4, 3], [4, 2]], t => t[0].T.MatMul(t[1]), r => RefArray.MatMul(r[0].Transpose(0, 1), r[1]));
        Check([[3, 4], [2, 4]], t => t[0].MatMul(t[1].T), r => RefArray.MatMul(r[0], r[1].Transpose(0, 1)));
        Check([[4, 3], [2, 4]], t => t[0].T.MatMul(t[1].T), r => RefArray.MatMul(r[0].Transpose(0, 1), r[1].Transpose(0, 1)));
        Check([[2, 4, 3], [2, 5, 4]], t => t[0].Transpose(1, 2).MatMul(t[1].Transpose(-1, -2)),
              r => RefArray.MatMul(r[0].Transpose(1, 2), r[1].Transpose(1, 2)));
    }

    [Test]
    public void StridedAndBroadcastOperands()
    {
        // A batch-major permutation (batch stride not uniform), a sliced column range, and an expanded batch.
        Check([[3, 2, 4], [4, 5]], t => t[0].Permute(1, 0, 2).MatMul(t[1]), r => RefArray.MatMul(r[0].Permute(1, 0, 2), r[1]));
        Check([[3, 6], [4, 2]], t => t[0].Slice(1, 1, 5).MatMul(t[1]), r => RefArray.MatMul(r[0].Slice(1, 1, 5), r[1]));
        Check([[3, 6], [3, 2]], t => t[0].Slice(1, 0, 6, 2).T.MatMul(t[1]), r => RefArray.MatMul(r[0].Slice(1, 0, 6, 2).Transpose(0, 1), r[1]));
        Check([[3, 4], [4, 2]], t => t[0].Expand(2, 3, 4).MatMul(t[1]), r => RefArray.MatMul(r[0].Expand([2, 3, 4]), r[1]));
        // Two batch dims that no single stride steps through (looped around the GEMM), and a transposed, expanded batch.
        Check([[3, 2, 4, 5], [5, 2]], t => t[0].Permute(1, 0, 2, 3).MatMul(t[1]), r => RefArray.MatMul(r[0].Permute(1, 0, 2, 3), r[1]));
        Check([[4, 3], [2, 1, 4, 5]], t => t[0].T.Expand(2, 3, 3, 4).MatMul(t[1]),
              r => RefArray.MatMul(r[0].Transpose(0, 1).Expand([2, 3, 3, 4]), r[1]));
    }

    [Test]
    public void Mm() => Check([[3, 4], [4, 2]], t => t[0].Mm(t[1]), r => RefArray.MatMul(r[0], r[1]));

    [Test]
    public void LargerProductsStayAccurate() =>
        Check([[17, 33], [33, 9]], t => t[0].MatMul(t[1]), r => RefArray.MatMul(r[0], r[1]), atol: 1e-4, gradcheck: false);

    [Test]
    public void EmptyInnerDimensionGivesZeros()
    {
        var c = Tensor.Zeros(2, 0).MatMul(Tensor.Zeros(0, 3));
        Assert.That(c.Shape, Is.EqualTo(new[] { 2, 3 }));
        Assert.That(c.ToArray(), Is.All.EqualTo(0f));
    }

    [Test]
    public void ShapeMismatchNamesTheOpAndBothShapes()
    {
        Throws(() => Tensor.Zeros(2, 3).MatMul(Tensor.Zeros(4, 5)), "MatMul", "[2, 3]", "[4, 5]");
        Throws(() => Tensor.Zeros(2, 2, 3).MatMul(Tensor.Zeros(3, 3, 5)), "MatMul", "[2]", "[3]");
        Throws(() => Tensor.Zeros(3).MatMul(Tensor.Scalar(1f)), "MatMul", "[3]", "[]");
        Throws(() => Tensor.Zeros(2, 3, 4).Mm(Tensor.Zeros(4, 5)), "Mm", "[2, 3, 4]", "[4, 5]");
    }
}
