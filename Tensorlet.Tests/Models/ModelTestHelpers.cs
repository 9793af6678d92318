using Tensorlet.NN;

namespace Tensorlet.Tests.Models;

/// <summary>Shared checks for the architecture tests: output shape, and one backward pass with finite gradients.</summary>
internal static class ModelTestHelpers
{
    /// <summary>
    /// Runs <paramref name="model"/> on a seeded batch of 2 inside a <see cref="TensorScope"/>: intermediates left to the
    /// finalizer would change the backend's live-byte count while a later memory test (TrainingMemoryTests) measures it.
    /// </summary>
    public static void CheckForward(Module model, int channels, int size, int classes)
    {
        using var scope = TensorScope.Begin();
        ForwardBatch(model, channels, size, classes);
    }

    /// <summary>Forward on a seeded batch of 2; the logits must be [2, classes] and finite. Callers hold a scope.</summary>
    public static Tensor ForwardBatch(Module model, int channels, int size, int classes, ulong seed = 1)
    {
        var x = Tensor.Randn([2, channels, size, size], new Generator(seed));
        var y = model.Call(x);
        Assert.That(y.Shape, Is.EqualTo(new[] { 2, classes }));
        Assert.That(y.ToArray().All(float.IsFinite), Is.True, "logits are not all finite");
        return y;
    }

    /// <summary>One forward and backward on a seeded batch; every parameter must receive a finite, not all-zero gradient.</summary>
    public static void BackwardGivesFiniteGrads(Module model, int channels, int size, int classes)
    {
        using var scope = TensorScope.Begin();
        var y = ForwardBatch(model, channels, size, classes);
        F.CrossEntropy(y, Tensor.FromArray(new float[] { 0, 1 }, [2])).Backward();
        foreach (var (name, p) in model.NamedParameters())
        {
            Assert.That(p.Grad, Is.Not.Null, $"{name} has no gradient");
            var g = p.Grad!.ToArray();
            Assert.That(g.All(float.IsFinite), Is.True, $"{name} has a non-finite gradient");
            Assert.That(g.Any(v => v != 0), Is.True, $"{name} has an all-zero gradient");
        }
    }
}
