namespace Tensorlet.Optim;

/// <summary>
/// A learning-rate schedule with PyTorch's <c>LRScheduler</c> semantics: constructing it sets the optimizer's
/// learning rate for epoch 0 (<see cref="LastEpoch"/> = 0); each <see cref="Step"/> advances one epoch — or one
/// iteration, if you call it per batch — and sets lr = <see cref="LearningRateAt"/>(<see cref="LastEpoch"/>), a closed
/// form of the base learning rate (the optimizer's rate when the schedule was made), so no rounding accumulates.
/// </summary>
public abstract class LRSchedule
{
    protected LRSchedule(Optimizer optimizer)
    {
        Optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        BaseLearningRate = optimizer.LearningRate;
    }

    /// <summary>The optimizer whose learning rate this schedule sets.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The learning rate the closed forms scale (PyTorch's <c>initial_lr</c>).</summary>
    public float BaseLearningRate { get; private set; }

    /// <summary>Number of <see cref="Step"/> calls so far (the epoch whose rate is in effect).</summary>
    public int LastEpoch { get; private set; }

    /// <summary>The schedule's learning rate at <paramref name="epoch"/> (pure: it changes nothing).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is negative: closed forms are defined from epoch 0.</exception>
    public double LearningRateAt(int epoch)
    {
        if (epoch < 0) throw new ArgumentOutOfRangeException(nameof(epoch), epoch, "Schedules are defined from epoch 0.");
        return RateAt(epoch);
    }

    /// <summary>The closed form at a non-negative <paramref name="epoch"/>.</summary>
    protected abstract double RateAt(int epoch);

    /// <summary>Advances one epoch and sets the optimizer's learning rate.</summary>
    public void Step()
    {
        LastEpoch++;
        Apply();
    }

    /// <summary>Restores a state saved from <see cref="LastEpoch"/> and <see cref="BaseLearningRate"/>, and sets the optimizer's rate.</summary>
    public void LoadState(int lastEpoch, float baseLearningRate)
    {
        if (lastEpoch < 0) throw new ArgumentOutOfRangeException(nameof(lastEpoch), lastEpoch, "LRSchedule: last epoch must be non-negative.");
        if (!(baseLearningRate >= 0)) throw new ArgumentOutOfRangeException(nameof(baseLearningRate), baseLearningRate, "LRSchedule: base learning rate must be non-negative.");
        LastEpoch = lastEpoch;
        BaseLearningRate = baseLearningRate;
        OnLoadState(lastEpoch, baseLearningRate);
        Apply();
    }

    /// <summary>Lets a schedule that wraps another restore it too (before this one's rate is applied).</summary>
    protected virtual void OnLoadState(int lastEpoch, float baseLearningRate) { }

    /// <summary>Sets the optimizer's rate for the current epoch; subclasses call it at the end of their constructor.</summary>
    protected void Apply() => Optimizer.LearningRate = (float)LearningRateAt(LastEpoch);
}
