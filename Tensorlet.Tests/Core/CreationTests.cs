using static Tensorlet.Tests.Core.OpTester;

namespace Tensorlet.Tests.Core;

public class CreationTests
{
    [Test]
    public void FilledTensors()
    {
        Assert.That(Tensor.Zeros(2, 3).ToArray(), Is.EqualTo(new float[6]));
        Assert.That(Tensor.Ones(2, 3).ToArray(), Is.All.EqualTo(1f));
        var full = Tensor.Full([3, 1], -2.5f, requiresGrad: true);
        Assert.That(full.Shape, Is.EqualTo(new[] { 3, 1 }));
        Assert.That(full.ToArray(), Is.All.EqualTo(-2.5f));
        Assert.That(full.RequiresGrad && full.IsLeaf, Is.True);
        Assert.That(Tensor.Scalar(4f).Shape, Is.Empty);
        Assert.That(Tensor.Scalar(4f).Item(), Is.EqualTo(4f));
        var like = Tensor.Zeros(2, 5).T;
        Assert.That(Tensor.OnesLike(like).Shape, Is.EqualTo(new[] { 5, 2 }));
        Assert.That(Tensor.FullLike(like, 7f).ToArray(), Is.All.EqualTo(7f));
        Assert.That(Tensor.ZerosLike(Tensor.Ones(3)).ToArray(), Is.All.EqualTo(0f));
    }

    [Test]
    public void ArangeFollowsTorch()
    {
        Assert.That(Tensor.Arange(5).ToArray(), Is.EqualTo(new[] { 0f, 1f, 2f, 3f, 4f }));
        Assert.That(Tensor.Arange(1f, 2f, 0.25f).ToArray(), Is.EqualTo(new[] { 1f, 1.25f, 1.5f, 1.75f }));
        Assert.That(Tensor.Arange(3f, 0f, -1f).ToArray(), Is.EqualTo(new[] { 3f, 2f, 1f }));
        Assert.That(Tensor.Arange(0f, 1f, 0.3f).ToArray(), Is.EqualTo(new[] { 0f, 0.3f, 0.6f, 0.9f }).Within(1e-6));
        Assert.That(Tensor.Arange(2f, 1f).Shape, Is.EqualTo(new[] { 0 }));
        Throws(() => Tensor.Arange(0f, 1f, 0f), "Arange", "step");
    }

    [Test]
    public void SameSeedSameValues()
    {
        float[] Rand(ulong seed) => Tensor.Rand([4, 5], new Generator(seed)).ToArray();
        float[] Randn(ulong seed) => Tensor.Randn([4, 5], new Generator(seed)).ToArray();
        Assert.That(Rand(11), Is.EqualTo(Rand(11)));
        Assert.That(Randn(11), Is.EqualTo(Randn(11)));
        Assert.That(Rand(11), Is.Not.EqualTo(Rand(12)));
        Assert.That(Randn(11), Is.Not.EqualTo(Randn(12)));
        var g = new Generator(11);
        Assert.That(Tensor.Rand([20], g).ToArray(), Is.Not.EqualTo(Tensor.Rand([20], g).ToArray()), "a generator advances");
    }

    [Test]
    public void RandIsUniformOnTheUnitInterval()
    {
        var v = Tensor.Rand([10000], new Generator(1)).ToArray();
        Assert.That(v, Is.All.GreaterThanOrEqualTo(0f).And.LessThan(1f));
        Assert.That(v.Average(), Is.EqualTo(0.5).Within(0.02));
        Assert.That(v.Count(x => x < 0.25f) / 10000.0, Is.EqualTo(0.25).Within(0.02));
    }

    [Test]
    public void RandnIsStandardNormal()
    {
        var v = Tensor.Randn([10000], new Generator(1), requiresGrad: true);
        Assert.That(v.RequiresGrad, Is.True);
        var a = v.ToArray().Select(x => (double)x).ToArray();
        double mean = a.Average(), std = Math.Sqrt(a.Sum(x => (x - mean) * (x - mean)) / (a.Length - 1));
        Assert.That(mean, Is.EqualTo(0).Within(0.03));
        Assert.That(std, Is.EqualTo(1).Within(0.03));
        Assert.That(a.Count(x => Math.Abs(x) < 1) / 10000.0, Is.EqualTo(0.6827).Within(0.02));
    }

    [Test]
    public void FromArrayAndToArrayRoundTrip()
    {
        float[] data = [1f, -2f, 3.5f, 0f, 1e-8f, float.MaxValue];
        var t = Tensor.FromArray(data, [2, 3]);
        Assert.That(t.ToArray(), Is.EqualTo(data));
        Assert.That(t.ToArray(), Is.Not.SameAs(data));
        Assert.That(t.T.ToArray(), Is.EqualTo(new[] { 1f, 0f, -2f, 1e-8f, 3.5f, float.MaxValue }));
        Assert.That(Tensor.FromArray([5f]).Shape, Is.EqualTo(new[] { 1 }));
        var span = new float[6];
        t.T.CopyTo(span);
        Assert.That(span, Is.EqualTo(t.T.ToArray()));
        Assert.That(t.Clone().ToArray(), Is.EqualTo(data));
    }

    [Test]
    public void CopyErrorsNameTheSizes()
    {
        Throws(() => Tensor.FromArray([1f, 2f, 3f], [2, 2]), "FromArray", "3", "[2, 2]", "4");
        Throws(() => Tensor.Zeros(2, -1), "Negative", "[2, -1]");
        Throws(() => Tensor.Zeros(2, 3).CopyTo(new float[5]), "CopyTo", "5", "6");
        Throws(() => Tensor.Zeros(2, 3).T.AsSpan(), "AsSpan", "contiguous");
    }

    [Test]
    public void ItemNeedsOneElement()
    {
        Assert.That(T([1, 1, 1], 2.5f).Item(), Is.EqualTo(2.5f));
        Assert.That(Tensor.Arange(6).Slice(0, 4, 5).Item(), Is.EqualTo(4f));
        Throws(() => Tensor.Zeros(2, 3).Item(), "Item", "[2, 3]");
        Throws(() => Tensor.Zeros(0).Item(), "Item", "[0]");
    }

    [Test]
    public void DisposedTensorsRefuseToBeRead()
    {
        var t = Tensor.Zeros(2, 3);
        var view = t.T;
        t.Dispose();
        Assert.That(view.ToArray(), Is.EqualTo(new float[6]), "a view keeps the memory alive");
        view.Dispose();
        Throws(() => t.ToArray(), "disposed", "[2, 3]");
    }
}
