namespace Tensorlet.Tests.Core;

/// <summary>Cross-entropy over [N, C, d1, ...] scores (e.g. per pixel), as PyTorch's K-dimensional loss.</summary>
public class CrossEntropySpatialTests
{
    [Test]
    public void PerPixelLossEqualsTheFlattenedLossAndHasTheRightGradient()
    {
        var gen = new Generator(21);
        var logits = Tensor.Randn([2, 4, 3, 2], gen, requiresGrad: true);
        var target = Tensor.FromArray(Enumerable.Range(0, 12).Select(i => (float)(i * 7 % 4)).ToArray(), [2, 3, 2]);

        float spatial = F.CrossEntropy(logits, target, labelSmoothing: 0.1f).Item();
        var flat = logits.Permute(0, 2, 3, 1).Reshape(-1, 4);
        float flattened = F.CrossEntropy(flat, target.Reshape(-1), labelSmoothing: 0.1f).Item();
        Assert.That(spatial, Is.EqualTo(flattened).Within(1e-6));
        Assert.That(F.CrossEntropy(logits, target, Reduction.None).Shape, Is.EqualTo(new[] { 2, 3, 2 }));

        var check = GradCheck.Run(t => F.CrossEntropy(t[0], target, Reduction.Sum), [logits]);
        Assert.That(check.Passed, Is.True, check.ToString());
    }

    [Test]
    public void MismatchedSpatialSizesAreNamed()
    {
        var ex = Assert.Throws<ArgumentException>(() => F.CrossEntropy(Tensor.Zeros(2, 4, 3, 2), Tensor.Zeros(2, 2, 3)));
        Assert.That(ex!.Message, Does.Contain("[2, 4, 3, 2]").And.Contain("[2, 2, 3]"));
    }
}
