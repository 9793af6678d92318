namespace Tensorlet.Cli.Training;

/// <summary>Running loss and accuracy over an epoch, read from the device once per batch (the loss scalar only).</summary>
internal sealed class Metrics
{
    private double _lossSum;
    private long _correct, _seen;

    public void Add(float batchLoss, int correct, int size)
    {
        _lossSum += (double)batchLoss * size;
        _correct += correct;
        _seen += size;
    }

    public double Loss => _seen == 0 ? double.NaN : _lossSum / _seen;
    public double Accuracy => _seen == 0 ? double.NaN : (double)_correct / _seen;
    public long Seen => _seen;

    /// <summary>How many rows of <paramref name="logits"/> have their arg-max at the label.</summary>
    public static int CountCorrect(Tensor logits, Tensor labels)
    {
        using (GradMode.NoGrad())
        using (var hits = logits.ArgMax(1).Eq(labels))
        using (var sum = hits.Sum())
            return (int)sum.Item();
    }
}
