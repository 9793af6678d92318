using static Tensorlet.Tests.Core.OpTester;

namespace Tensorlet.Tests.Core;

public class ArithmeticTests
{
    // Both directions of every broadcast rule: size-1 against size-n, missing leading dims, and rank 0.
    private static readonly int[][][] Broadcasts =
    [
        [[2, 3], [2, 3]],
        [[3, 1], [1, 4]],
        [[2, 3, 4], [4]],
        [[4], [2, 3, 4]],
        [[2, 1, 4], [3, 1]],
        [[], [2, 3]],
        [[2, 3], []],
    ];

    private static IEnumerable<TestCaseData> Cases(string op) =>
        Broadcasts.Select(s => new TestCaseData(s[0], s[1]).SetArgDisplayNames(op, Shape.Format(s[0]), Shape.Format(s[1])));

    private static IEnumerable<TestCaseData> AddCases() => Cases("Add");

    [TestCaseSource(nameof(AddCases))]
    public void Add(int[] a, int[] b) => Check([a, b], t => t[0].Add(t[1]), r => r[0] + r[1]);

    [TestCaseSource(nameof(AddCases))]
    public void AddWithAlpha(int[] a, int[] b) => Check([a, b], t => t[0].Add(t[1], -2.5f), r => r[0] + r[1] * -2.5);

    [TestCaseSource(nameof(AddCases))]
    public void Sub(int[] a, int[] b) => Check([a, b], t => t[0].Sub(t[1]), r => r[0] - r[1]);

    [TestCaseSource(nameof(AddCases))]
    public void Mul(int[] a, int[] b) => Check([a, b], t => t[0].Mul(t[1]), r => r[0] * r[1]);

    [TestCaseSource(nameof(AddCases))]
    public void Div(int[] a, int[] b) => Check([a, b], t => t[0].Div(t[1]), r => r[0] / r[1], init: Positive);

    [TestCaseSource(nameof(AddCases))]
    public void PowTensor(int[] a, int[] b) => Check([a, b], t => t[0].Pow(t[1]), r => RefArray.Zip(r[0], r[1], Math.Pow), init: Positive);

    [Test]
    public void Operators() =>
        Check([[2, 3], [3]], t => (t[0] + t[1]) * t[0] - t[1] / (t[0] * t[0] + 1f) + -t[1],
              r => (r[0] + r[1]) * r[0] - r[1] / (r[0] * r[0] + 1) + -r[1]);

    [Test]
    public void ScalarOverloads() =>
        Check([[2, 3]], t => t[0].Add(1.5f).Sub(0.25f).Mul(-3f).Div(4f), r => (r[0] + 1.25) * (-3.0 / 4));

    [Test]
    public void ScalarOperatorsOnEitherSide() =>
        Check([[2, 3]], t => 2f * t[0] + 1f - (3f - t[0]) * 0.5f + t[0] / 2f + 1.5f / t[0] + (t[0] - 1f) + (4f + t[0]) + t[0] * 3f,
              r => r[0] * 2 + 1 + (r[0].Map(x => 3 - x) * 0.5 * -1) + r[0] * 0.5 + r[0].Map(x => 1.5 / x) + (r[0] + -1) + (r[0] + 4) + r[0] * 3,
              atol: 1e-4, init: Positive);

    [Test]
    public void Neg() => Check([[2, 3]], t => t[0].Neg(), r => -r[0]);

    [TestCase(2f)]
    [TestCase(3f)]
    [TestCase(-1f)]
    [TestCase(0.5f)]
    [TestCase(-1.5f)]
    public void PowScalar(float p) => Check([[2, 3]], t => t[0].Pow(p), r => r[0].Map(x => Math.Pow(x, p)), init: Positive);

    [Test]
    public void PowWithZeroBaseHasAZeroExponentGradient()
    {
        var a = T([2], 0f, 2f);
        var b = Tensor.FromArray([2f, 3f], [2], requiresGrad: true);
        a.Pow(b).Sum().Backward();
        Assert.That(b.Grad!.ToArray(), Is.EqualTo(new[] { 0f, 8f * MathF.Log(2f) }).Within(1e-5));
    }

    [Test]
    public void ATensorUsedTwiceGetsBothGradients() =>
        Check([[3, 2]], t => t[0].Mul(t[0]).Add(t[0].Div(t[0].Add(3f))), r => r[0] * r[0] + r[0] / (r[0] + 3), init: Positive);

    // Negative and mixed-sign operands: integer powers of negative bases, division by negative numbers.
    private static readonly Init Mixed = Values(-1.5f, 0.7f, -0.9f, 1.3f, 2f, -0.6f, 1.1f);

    [TestCase(2f)]
    [TestCase(3f)]
    [TestCase(-2f)]
    public void IntegerPowersOfNegativeBases(float p) =>
        Check([[2, 3]], t => t[0].Pow(p), r => r[0].Map(x => Math.Pow(x, p)), init: Mixed);

    [Test]
    public void DivisionByNegativeNumbers() => Check([[3, 2], [2]], t => t[0].Div(t[1]), r => r[0] / r[1], init: Mixed);

    [Test]
    public void OnlyTheInputsThatRequireGradGetOne()
    {
        var a = Tensor.FromArray([1f, 2f], [2], requiresGrad: true);
        var b = Tensor.FromArray([3f, 4f], [2]);
        a.Div(b).Add(b.Pow(a)).Add(a.Mul(b)).Add(b.Add(a, 2f)).Sum().Backward();
        Assert.That(b.Grad, Is.Null);
        var expected = new[] { 1 / 3f + 3f * MathF.Log(3f) + 3f + 2f, 1 / 4f + 16f * MathF.Log(4f) + 4f + 2f };
        Assert.That(a.Grad!.ToArray(), Is.EqualTo(expected).Within(1e-4));
    }

    [Test]
    public void EmptyOperands()
    {
        Check([[0, 3], [3]], t => t[0].Mul(t[1]), r => r[0] * r[1]);
        Check([[2, 0], [2, 1]], t => t[0].Add(t[1]), r => r[0] + r[1]);
    }

    [Test]
    public void ShapeMismatchNamesTheOpAndBothShapes()
    {
        var a = Tensor.Zeros(2, 3);
        var b = Tensor.Zeros(4);
        Throws(() => a.Add(b), "Add", "[2, 3]", "[4]");
        Throws(() => a.Sub(b), "Sub", "[2, 3]", "[4]");
        Throws(() => a.Mul(b), "Mul", "[2, 3]", "[4]");
        Throws(() => a.Div(b), "Div", "[2, 3]", "[4]");
        Throws(() => a.Pow(b), "Pow", "[2, 3]", "[4]");
    }
}
