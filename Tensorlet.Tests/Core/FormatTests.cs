using static Tensorlet.Tests.Core.OpTester;

namespace Tensorlet.Tests.Core;

// Expected strings are what PyTorch 2.x prints for the same values (torch/_tensor_str.py's rules).
public class FormatTests
{
    [Test]
    public void WholeNumbersPrintWithATrailingDot() =>
        Assert.That(T([3], 1f, 2f, 3f).ToString(), Is.EqualTo("tensor([1., 2., 3.])"));

    [Test]
    public void ColumnsAlignUnderTheWidestValue() =>
        Assert.That(T([2, 2], 0.1f, -2f, 3f, 4.5f).ToString(), Is.EqualTo(
            "tensor([[ 0.1000, -2.0000],\n" +
            "        [ 3.0000,  4.5000]])"));

    [Test]
    public void ThreeDimensionsSeparateBlocksWithABlankLine() =>
        Assert.That(Tensor.Arange(8).Reshape(2, 2, 2).ToString(), Is.EqualTo(
            "tensor([[[0., 1.],\n" +
            "         [2., 3.]],\n" +
            "\n" +
            "        [[4., 5.],\n" +
            "         [6., 7.]]])"));

    [Test]
    public void Scalars()
    {
        Assert.That(Tensor.Scalar(3.5f).ToString(), Is.EqualTo("tensor(3.5000)"));
        Assert.That(Tensor.Scalar(-2f).ToString(), Is.EqualTo("tensor(-2.)"));
        Assert.That(Tensor.Zeros(2, 2).ToString(), Is.EqualTo("tensor([[0., 0.],\n        [0., 0.]])"));
    }

    [Test]
    public void AutogradSuffixes()
    {
        var x = Tensor.FromArray([1f, 2f], [2], requiresGrad: true);
        Assert.That(x.ToString(), Is.EqualTo("tensor([1., 2.], requires_grad=True)"));
        Assert.That(x.Add(x).ToString(), Is.EqualTo("tensor([2., 4.], grad_fn=<AddBackward0>)"));
        Assert.That(x.Mul(2f).Sum().ToString(), Is.EqualTo("tensor(6., grad_fn=<SumBackward0>)"));
        Assert.That(x.Detach().ToString(), Is.EqualTo("tensor([1., 2.])"));
    }

    [Test]
    public void ScientificNotationWhenMagnitudesCallForIt()
    {
        Assert.That(T([2], 0.001f, 2f).ToString(), Is.EqualTo("tensor([1.0000e-03, 2.0000e+00])"));
        Assert.That(T([2], 1e-5f, -1f).ToString(), Is.EqualTo("tensor([ 1.0000e-05, -1.0000e+00])"));
        Assert.That(T([2], 1f, 2000f).ToString(), Is.EqualTo("tensor([1.0000e+00, 2.0000e+03])"));
        Assert.That(T([1], 1e9f).ToString(), Is.EqualTo("tensor([1.0000e+09])"));
        Assert.That(T([2], 0.5f, 400f).ToString(), Is.EqualTo("tensor([  0.5000, 400.0000])"));
    }

    [Test]
    public void NonFiniteValuesDoNotWidenTheColumns()
    {
        Assert.That(T([3], 1f, float.PositiveInfinity, float.NaN).ToString(), Is.EqualTo("tensor([1., inf, nan])"));
        Assert.That(T([2], 1.5f, float.NegativeInfinity).ToString(), Is.EqualTo("tensor([1.5000,   -inf])"));
    }

    [Test]
    public void LongRowsWrapAtEightyColumns()
    {
        Assert.That(Tensor.Arange(0f, 2f, 0.1f).ToString(), Is.EqualTo(
            "tensor([0.0000, 0.1000, 0.2000, 0.3000, 0.4000, 0.5000, 0.6000, 0.7000, 0.8000,\n" +
            "        0.9000, 1.0000, 1.1000, 1.2000, 1.3000, 1.4000, 1.5000, 1.6000, 1.7000,\n" +
            "        1.8000, 1.9000])"));
        var x = Tensor.FromArray(Enumerable.Repeat(0.5f, 9).ToArray(), [9], requiresGrad: true);
        Assert.That(x.ToString(), Is.EqualTo(
            "tensor([0.5000, 0.5000, 0.5000, 0.5000, 0.5000, 0.5000, 0.5000, 0.5000, 0.5000],\n" +
            "       requires_grad=True)"));
    }

    [Test]
    public void LargeTensorsAreSummarised()
    {
        Assert.That(Tensor.Ones(2000).ToString(), Is.EqualTo("tensor([1., 1., 1.,  ..., 1., 1., 1.])"));
        Assert.That(Tensor.Ones(50, 50).ToString(), Is.EqualTo(
            "tensor([[1., 1., 1.,  ..., 1., 1., 1.],\n" +
            "        [1., 1., 1.,  ..., 1., 1., 1.],\n" +
            "        [1., 1., 1.,  ..., 1., 1., 1.],\n" +
            "        ...,\n" +
            "        [1., 1., 1.,  ..., 1., 1., 1.],\n" +
            "        [1., 1., 1.,  ..., 1., 1., 1.],\n" +
            "        [1., 1., 1.,  ..., 1., 1., 1.]])"));
        // Only the printed values choose the format: 0..2, 1997..1999 span more than 10³, so scientific.
        Assert.That(Tensor.Arange(2000).ToString(), Is.EqualTo(
            "tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n" +
            "        1.9990e+03])"));
        Assert.That(Tensor.Ones(1000).ToString(), Does.Not.Contain("..."));
    }

    [Test]
    public void EmptyTensorsShowTheirSizeUnlessOneDimensional()
    {
        Assert.That(Tensor.Zeros(0).ToString(), Is.EqualTo("tensor([])"));
        Assert.That(Tensor.Zeros(2, 0).ToString(), Is.EqualTo("tensor([], size=(2, 0))"));
    }

    [Test]
    public void ViewsPrintTheirLogicalOrder() =>
        Assert.That(Tensor.Arange(6).Reshape(2, 3).T.ToString(), Is.EqualTo(
            "tensor([[0., 3.],\n" +
            "        [1., 4.],\n" +
            "        [2., 5.]])"));

    [Test]
    public void ADisposedTensorSaysSo()
    {
        var x = Tensor.Zeros(2, 3);
        x.Dispose();
        Assert.That(x.ToString(), Does.Contain("disposed").And.Contain("(2, 3)"));
    }
}
