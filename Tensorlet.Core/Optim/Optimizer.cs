namespace Tensorlet.Optim;

/// <summary>
/// Base of the optimizers: holds the parameters and a learning rate that schedules may change between steps.
/// State tensors (momentum, moments) live outside any <see cref="TensorScope"/> so they persist across steps.
/// </summary>
public abstract class Optimizer : IDisposable
{
    protected Optimizer(IEnumerable<Tensor> parameters, float lr)
    {
        Parameters = parameters.ToArray();
        if (Parameters.Count == 0) throw new ArgumentException("Optimizer: got an empty parameter list.");
        if (!(lr >= 0)) throw new ArgumentOutOfRangeException(nameof(lr), lr, "Learning rate must be non-negative.");
        foreach (var p in Parameters)
            if (!p.RequiresGrad) throw new ArgumentException("Optimizer: every parameter must have RequiresGrad = true.");
        LearningRate = lr;
    }

    /// <summary>The tensors this optimizer updates.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>Current learning rate (schedules set it).</summary>
    public float LearningRate { get; set; }

    /// <summary>Number of completed <see cref="Step"/> calls.</summary>
    public long StepCount { get; protected set; }

    /// <summary>Updates every parameter that has a gradient.</summary>
    public void Step()
    {
        using (GradMode.NoGrad())
        using (TensorScope.Begin())
        {
            for (int i = 0; i < Parameters.Count; i++)
                if (Parameters[i].Grad is { } g) Update(i, Parameters[i], g);
        }
        StepCount++;
    }

    /// <summary>Applies the update rule to parameter <paramref name="index"/> (grad mode off, inside a scope for temporaries).</summary>
    protected abstract void Update(int index, Tensor parameter, Tensor grad);

    /// <summary>Drops the gradients of all parameters.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters)
        {
            p.Grad?.Dispose();
            p.Grad = null;
        }
    }

    /// <summary>A persistent zero tensor shaped like <paramref name="like"/> (state that must outlive the step's scope).</summary>
    protected static Tensor NewState(Tensor like)
    {
        using (TensorScope.Suspend()) return Tensor.Zeros(like.Shape, like.Device);
    }

    public abstract void Dispose();
}
