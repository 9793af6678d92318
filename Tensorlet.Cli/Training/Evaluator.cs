using Tensorlet.Data;
using Tensorlet.NN;

namespace Tensorlet.Cli.Training;

/// <summary>Loss and accuracy of a model over a dataset, in eval mode and without a graph.</summary>
internal static class Evaluator
{
    /// <param name="transforms">Applied to each test image, e.g. the training run's normalisation.</param>
    public static (double Loss, double Accuracy) Evaluate(Module model, ImageDataset data, int batchSize, Device device,
        IEnumerable<ITransform>? transforms = null)
    {
        bool wasTraining = model.IsTraining;
        model.Eval();
        var metrics = new Metrics();
        var loader = new DataLoader(data, batchSize, shuffle: false, transforms: transforms, device: device);
        using (GradMode.NoGrad())
            foreach (var batch in loader.Epoch())
                using (TensorScope.Begin())
                {
                    var logits = model.Forward(batch.Images);
                    var loss = F.CrossEntropy(logits, batch.Labels);
                    metrics.Add(loss.Item(), Metrics.CountCorrect(logits, batch.Labels), batch.Size);
                    batch.Dispose();
                }
        model.Train(wasTraining);
        return (metrics.Loss, metrics.Accuracy);
    }
}
