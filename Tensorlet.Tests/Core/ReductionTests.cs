using static Tensorlet.Tests.Core.OpTester;

namespace Tensorlet.Tests.Core;

public class ReductionTests
{
    private static readonly int[] S = [2, 3, 4];

    private static IEnumerable<TestCaseData> DimCases() =>
        from dim in new[] { 0, 1, 2, -1 }
        from keep in new[] { false, true }
        select new TestCaseData(dim, keep);

    [Test] public void SumAll() => Check([S], t => t[0].Sum(), r => r[0].Sum());
    [Test] public void MeanAll() => Check([S], t => t[0].Mean(), r => r[0].Mean());
    [Test] public void MaxAll() => Check([S], t => t[0].Max(), r => r[0].Max(), init: Distinct);
    [Test] public void MinAll() => Check([S], t => t[0].Min(), r => r[0].Min(), init: Distinct);
    [Test] public void SumOfAScalar() => Check([[]], t => t[0].Sum(), r => r[0]);

    [TestCaseSource(nameof(DimCases))]
    public void SumDim(int dim, bool keep) => Check([S], t => t[0].Sum(dim, keep), r => r[0].Sum(dim, keep));

    [TestCaseSource(nameof(DimCases))]
    public void MeanDim(int dim, bool keep) => Check([S], t => t[0].Mean(dim, keep), r => r[0].Mean(dim, keep));

    [TestCaseSource(nameof(DimCases))]
    public void MaxDim(int dim, bool keep) =>
        Check([S], t => t[0].Max(dim, keep).Values, r => r[0].Max(dim, keep), init: Distinct);

    [TestCaseSource(nameof(DimCases))]
    public void MinDim(int dim, bool keep) =>
        Check([S], t => t[0].Min(dim, keep).Values, r => r[0].Min(dim, keep), init: Distinct);

    [TestCaseSource(nameof(DimCases))]
    public void MaxAndMinReturnIndices(int dim, bool keep)
    {
        Check([S], t => t[0].Max(dim, keep).Indices, r => r[0].ArgMax(dim, keep), atol: 0, gradcheck: false, init: Distinct);
        Check([S], t => t[0].Min(dim, keep).Indices, r => r[0].ArgMin(dim, keep), atol: 0, gradcheck: false, init: Distinct);
    }

    [TestCaseSource(nameof(DimCases))]
    public void ArgMaxArgMin(int dim, bool keep)
    {
        Check([S], t => t[0].ArgMax(dim, keep), r => r[0].ArgMax(dim, keep), atol: 0, gradcheck: false, init: Distinct);
        Check([S], t => t[0].ArgMin(dim, keep), r => r[0].ArgMin(dim, keep), atol: 0, gradcheck: false, init: Distinct);
    }

    [Test]
    public void ArgMaxOfTheFlattenedTensor() =>
        Check([S], t => t[0].ArgMax(), r => r[0].Reshape([24]).ArgMax(0), atol: 0, gradcheck: false, init: Distinct);

    [TestCase(new[] { 0, 2 }, false)]
    [TestCase(new[] { 0, 2 }, true)]
    [TestCase(new[] { 1, 2 }, false)]
    [TestCase(new[] { -1, 0, 1 }, true)]
    public void SumAndMeanOverSeveralDims(int[] dims, bool keep)
    {
        Check([S], t => t[0].Sum(dims, keep), r => r[0].Sum(dims, keep));
        int n = dims.Aggregate(1, (p, d) => p * S[d < 0 ? d + 3 : d]);
        Check([S], t => t[0].Mean(dims, keep), r => r[0].Sum(dims, keep) * (1.0 / n));
    }

    [Test]
    public void ReductionsOfATransposedView()
    {
        Check([S], t => t[0].Transpose(0, 2).Sum(1), r => r[0].Transpose(0, 2).Sum(1));
        Check([S], t => t[0].Permute(2, 0, 1).Max(0).Values, r => r[0].Permute(2, 0, 1).Max(0), init: Distinct);
    }

    [Test]
    public void ReductionsOfAnExpandedView()
    {
        Check([[3, 1]], t => t[0].Expand(3, 4).Sum(1), r => r[0].Expand([3, 4]).Sum(1));
        Check([[4]], t => t[0].Expand(2, 3, 4).Mean([0, 1]), r => r[0].Expand([2, 3, 4]).Sum([0, 1]) * (1.0 / 6));
    }

    [Test]
    public void ReductionsOfEmptyDims()
    {
        Check([[0, 3]], t => t[0].Sum(0), r => r[0].Sum(0));
        Check([[0, 3]], t => t[0].Sum(1, keepDim: true), r => r[0].Sum(1, true));
        Assert.That(Tensor.Zeros(0).Sum().Item(), Is.EqualTo(0f));
    }

    [TestCase(0)]
    [TestCase(-1)]
    public void ScalarsReduceOverDimZero(int dim)
    {
        // As torch: a 0-d tensor has one "dimension" 0 (or −1) to reduce over, and the result stays 0-d.
        Check([[]], t => t[0].Max(dim).Values, r => r[0]);
        Check([[]], t => t[0].Min(dim, keepDim: true).Values, r => r[0]);
        Check([[]], t => t[0].Max(dim).Indices, r => RefArray.Full([], 0), gradcheck: false);
        Check([[]], t => t[0].ArgMax(dim), r => RefArray.Full([], 0), gradcheck: false);
        Check([[]], t => t[0].ArgMin(dim, keepDim: true), r => RefArray.Full([], 0), gradcheck: false);
    }

    [Test]
    public void FullMaxSharesTheGradientAmongTies()
    {
        var x = Tensor.FromArray([1f, 3f, 3f, 2f], [4], requiresGrad: true);
        x.Max().Backward();
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 0f, 0.5f, 0.5f, 0f }));
    }

    [Test]
    public void MaxOverADimPicksTheFirstTie()
    {
        var x = Tensor.FromArray([3f, 1f, 3f, 5f, 5f, 0f], [2, 3], requiresGrad: true);
        var (values, indices) = x.Max(1);
        Assert.That(indices.ToArray(), Is.EqualTo(new[] { 0f, 0f }));
        values.Sum().Backward();
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 1f, 0f, 0f, 1f, 0f, 0f }));
    }

    [Test]
    public void ErrorsNameTheOpAndTheDims()
    {
        var x = Tensor.Zeros(2, 3);
        Throws(() => x.Sum(2), "Sum", "2", "rank 2");
        Throws(() => x.Mean([0, -2]), "Mean", "twice");
        Throws(() => x.Max(-3), "Max", "-3");
        Throws(() => x.ArgMin(5), "ArgMin", "5");
        Throws(() => Tensor.Zeros(0).Max(), "Max", "empty");
    }
}
