namespace Tensorlet.Kernels;

// The checks of the fused cross-entropy: logits [rows, C], one class index and one log Σ e^(x − max) per row. Like the layer
// checks they take the backend whose buffers the views must be, or null for shapes alone (the meta device).
public static partial class OperationChecks
{
    /// <summary>
    /// CrossEntropy: <paramref name="logits"/> [rows, C]; <paramref name="target"/>, <paramref name="loss"/> and
    /// <paramref name="logSum"/> [rows]; the smoothing in [0, 1]; neither output overlapping itself.
    /// </summary>
    public static void CrossEntropy(IBackend? backend, float labelSmoothing, in StridedView logits, in StridedView target,
                                    in StridedView loss, in StridedView logSum)
    {
        const string op = "CrossEntropy";
        Smoothing(op, labelSmoothing);
        InBounds(backend, op, nameof(logits), logits);
        InBounds(backend, op, nameof(target), target);
        InBounds(backend, op, nameof(loss), loss);
        InBounds(backend, op, nameof(logSum), logSum);
        int rows = Logits(op, logits);
        PerRow(op, rows, logits, (nameof(target), target), (nameof(loss), loss), (nameof(logSum), logSum));
        ArgumentChecks.NoOverlap(op, nameof(loss), loss);
        ArgumentChecks.NoOverlap(op, nameof(logSum), logSum);
    }

    /// <summary>
    /// CrossEntropyBackward: <paramref name="logits"/> and <paramref name="dst"/> [rows, C]; <paramref name="target"/>,
    /// <paramref name="logSum"/> and <paramref name="grad"/> [rows]; the smoothing in [0, 1], β finite; dst not
    /// overlapping itself.
    /// </summary>
    public static void CrossEntropyBackward(IBackend? backend, float labelSmoothing, in StridedView logits, in StridedView target,
                                            in StridedView logSum, in StridedView grad, float beta, in StridedView dst)
    {
        const string op = "CrossEntropyBackward";
        Smoothing(op, labelSmoothing);
        if (!float.IsFinite(beta)) throw new ArgumentOutOfRangeException(nameof(beta), beta, $"{op}: beta must be finite.");
        InBounds(backend, op, nameof(logits), logits);
        InBounds(backend, op, nameof(target), target);
        InBounds(backend, op, nameof(logSum), logSum);
        InBounds(backend, op, nameof(grad), grad);
        InBounds(backend, op, nameof(dst), dst);
        int rows = Logits(op, logits);
        PerRow(op, rows, logits, (nameof(target), target), (nameof(logSum), logSum), (nameof(grad), grad));
        ArgumentChecks.SameShape(op, nameof(logits), logits, nameof(dst), dst);
        ArgumentChecks.NoOverlap(op, nameof(dst), dst);
    }

    /// <summary>
    /// The fault of a class index that is not an integer in [0, C): data, so kernels find it (the GPU's only at the next
    /// synchronisation, which it adds as a <paramref name="note"/>); worded as <see cref="BadIndex"/>, with the row.
    /// </summary>
    public static ArgumentOutOfRangeException BadTarget(string op, float value, int row, int classes, string? note = null) =>
        new("target", $"{op}: target {value} at row {row} is out of range for {classes} classes (class indices must be " +
                      $"integers in [0, {classes})).{Note(note)}");

    private static void Smoothing(string op, float labelSmoothing)
    {
        if (!(labelSmoothing >= 0f && labelSmoothing <= 1f))
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, $"{op}: label smoothing must be in [0, 1].");
    }

    // Returns the number of rows of a [rows, C] logits view.
    private static int Logits(string op, in StridedView logits)
    {
        if (logits.Rank != 2)
            throw new ArgumentException($"{op}: 'logits' has shape {ArgumentChecks.Show(logits.Shape)}; it must be [rows, classes].", nameof(logits));
        return logits.Shape[0];
    }

    private static void PerRow(string op, int rows, in StridedView logits, params (string Name, StridedView View)[] vectors)
    {
        foreach (var (name, view) in vectors)
            if (view.Rank != 1 || view.Shape[0] != rows)
                throw new ArgumentException(
                    $"{op}: '{name}' has shape {ArgumentChecks.Show(view.Shape)} but 'logits' has shape {ArgumentChecks.Show(logits.Shape)}; " +
                    $"it must be [{rows}] (one value per row).", name);
    }
}
