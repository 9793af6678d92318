using Tensorlet.NN;

namespace Tensorlet.Vision;

/// <summary>
/// A trained model with what it needs to read pictures and name its answers: the <see cref="ImagePipeline"/> its
/// training data went through and the class names. <see cref="Predict(string, int)"/> gives the top-k classes with
/// their probabilities, like <c>model(x).softmax(1).topk(k)</c> in PyTorch. The model is switched to eval mode.
/// </summary>
public sealed class Classifier
{
    public Classifier(Module model, ImagePipeline pipeline, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(classNames);
        if (classNames.Count == 0) throw new ArgumentException("Classifier: at least one class name is needed.", nameof(classNames));
        (Model, Pipeline, ClassNames) = (model, pipeline, classNames);
        model.Eval();
    }

    public Module Model { get; }

    public ImagePipeline Pipeline { get; }

    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The <paramref name="top"/> most probable classes for the image file at <paramref name="path"/>, best first.</summary>
    public IReadOnlyList<Prediction> Predict(string path, int top = 5) => Predict(Pipeline.Load(path), top);

    /// <summary>The same for one image already run through the <see cref="Pipeline"/> (C × H × W values).</summary>
    public IReadOnlyList<Prediction> Predict(ReadOnlySpan<float> input, int top = 5)
    {
        if (top <= 0) throw new ArgumentOutOfRangeException(nameof(top), top, "Predict: top must be at least 1.");
        if (input.Length != Pipeline.Channels * Pipeline.Height * Pipeline.Width)
            throw new ArgumentException($"Predict: the input has {input.Length} values, the model takes {string.Join('×', Pipeline.Shape)}.");
        var device = Model.Parameters().FirstOrDefault()?.Device;
        float[] probabilities;
        using (GradMode.NoGrad())
        using (TensorScope.Begin())
        {
            var x = Tensor.FromArray(input, [1, .. Pipeline.Shape], device);
            var logits = Model.Forward(x);
            if (logits.Shape.Length != 2 || logits.Shape[1] != ClassNames.Count)
                throw new InvalidOperationException(
                    $"Predict: the model answers with shape [{string.Join(", ", logits.Shape)}], expected [1, {ClassNames.Count}] for {ClassNames.Count} class names.");
            probabilities = logits.Softmax(1).ToArray();
        }
        // Ties keep the lower class index first, so the ranking is stable.
        return probabilities
            .Select((p, i) => new Prediction(i, ClassNames[i], p))
            .OrderByDescending(p => p.Probability).ThenBy(p => p.Index)
            .Take(top)
            .ToList();
    }
}
