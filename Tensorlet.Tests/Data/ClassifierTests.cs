using Tensorlet.NN;
using Tensorlet.Vision;

namespace Tensorlet.Tests.Data;

/// <summary><see cref="Classifier.Predict(ReadOnlySpan{float}, int)"/> against a softmax worked out by hand.</summary>
public class ClassifierTests
{
    [Test]
    public void TopKIsTheSoftmaxOfTheLogitsBestFirst()
    {
        // A 1 × 1 × 2 input through Linear(2 → 3) with weights [[1, 0], [0, 1], [1, 1]] and no bias: logits (x0, x1, x0 + x1).
        using var model = new Sequential(new Flatten(), new Linear(2, 3, bias: false));
        var weight = ((Linear)model[1]).Weight;
        new float[] { 1, 0, 0, 1, 1, 1 }.CopyTo(weight.AsSpan());
        var classifier = new Classifier(model, new ImagePipeline(1, 1, 2), ["a", "b", "c"]);
        var top = classifier.Predict([1f, 2f], top: 2);

        double[] logits = [1, 2, 3];
        double total = logits.Sum(Math.Exp);
        Assert.That(top.Select(p => p.Name), Is.EqualTo(new[] { "c", "b" }));
        Assert.That(top.Select(p => p.Index), Is.EqualTo(new[] { 2, 1 }));
        Assert.That(top[0].Probability, Is.EqualTo(Math.Exp(3) / total).Within(1e-6));
        Assert.That(top[1].Probability, Is.EqualTo(Math.Exp(2) / total).Within(1e-6));
        Assert.That(classifier.Predict([1f, 2f], top: 10), Has.Count.EqualTo(3), "asking for more than there are lists them all");
        Assert.That(model.IsTraining, Is.False, "predicting runs the model in eval mode");
    }

    [Test]
    public void MisfitsAreRefused()
    {
        using var model = new Sequential(new Flatten(), new Linear(2, 3));
        Assert.Throws<ArgumentException>(() => new Classifier(model, new ImagePipeline(1, 1, 2), ["a", "b", "c"]).Predict([1f, 2f, 3f]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Classifier(model, new ImagePipeline(1, 1, 2), ["a", "b", "c"]).Predict([1f, 2f], top: 0));
        var error = Assert.Throws<InvalidOperationException>(() => new Classifier(model, new ImagePipeline(1, 1, 2), ["a", "b"]).Predict([1f, 2f]))!;
        Assert.That(error.Message, Does.Contain("[1, 3]").And.Contain("2 class names"));
    }
}
