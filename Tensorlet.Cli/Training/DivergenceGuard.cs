using System.Globalization;

namespace Tensorlet.Cli.Training;

/// <summary>
/// Stops a run whose loss stops being a finite number: the step's loss is checked before the optimizer uses it and the
/// test loss before the checkpoint is written, so the last good checkpoint is never replaced by diverged weights. The
/// <see cref="NotFiniteNumberException"/> names the epoch and step, the last finite loss and what was kept.
/// </summary>
internal sealed class DivergenceGuard(string checkpointPath, float learningRate)
{
    private float _lastFinite = float.NaN;
    private long _lastFiniteStep;
    private int _savedEpoch = -1;

    /// <summary>Throws if the training loss of global step <paramref name="step"/> (1-based) is NaN or infinite.</summary>
    public void CheckLoss(float loss, int epoch, long step)
    {
        if (float.IsFinite(loss))
        {
            _lastFinite = loss;
            _lastFiniteStep = step;
            return;
        }
        string last = float.IsNaN(_lastFinite)
            ? "no earlier step of this run had a finite loss"
            : $"the last finite loss was {_lastFinite.ToString("G6", CultureInfo.InvariantCulture)} at step {_lastFiniteStep}";
        throw new NotFiniteNumberException(
            $"training diverged at epoch {epoch}, step {step}: the loss is {Name(loss)} ({last}). {Kept()} " +
            $"Try a smaller --lr (this run used {learningRate.ToString(CultureInfo.InvariantCulture)}).", loss);
    }

    /// <summary>Throws if the evaluation after <paramref name="epoch"/> gave a non-finite loss (the weights diverged in its last steps).</summary>
    public void CheckTestLoss(double loss, int epoch, long step)
    {
        if (double.IsFinite(loss)) return;
        throw new NotFiniteNumberException(
            $"training diverged in epoch {epoch} (by step {step}): the test loss is {Name(loss)}, so the weights are no longer " +
            $"finite. {Kept()} Try a smaller --lr (this run used {learningRate.ToString(CultureInfo.InvariantCulture)}).", loss);
    }

    /// <summary>Records that the checkpoint now holds <paramref name="epoch"/>.</summary>
    public void Saved(int epoch) => _savedEpoch = epoch;

    private string Kept() => !File.Exists(checkpointPath)
        ? "No checkpoint was written."
        : _savedEpoch >= 0
            ? $"The checkpoint of epoch {_savedEpoch}, {checkpointPath}, is kept."
            : $"The checkpoint {checkpointPath} is kept as it was.";

    private static string Name(double v) => double.IsNaN(v) ? "NaN" : v > 0 ? "+infinity" : "-infinity";
}
