using System.Globalization;

namespace Tensorlet.Optim;

/// <summary>
/// Base of the optimizers: holds the parameters, a learning rate that schedules may change between steps, and the
/// per-parameter state (momentum, moments). State tensors live outside any <see cref="TensorScope"/> so they persist
/// across steps; they are created on a parameter's first update, as in PyTorch, and exposed by name for checkpoints.
/// </summary>
public abstract class Optimizer : IDisposable
{
    private Tensor?[,] _state = new Tensor?[0, 0];
    private readonly long[] _parameterSteps;

    protected Optimizer(IEnumerable<Tensor> parameters, float lr)
    {
        Parameters = parameters.ToArray();
        if (Parameters.Count == 0) throw new ArgumentException("Optimizer: got an empty parameter list.");
        CheckHyperParameter(nameof(lr), lr);
        foreach (var p in Parameters)
            if (!p.RequiresGrad) throw new ArgumentException("Optimizer: every parameter must have RequiresGrad = true.");
        LearningRate = lr;
        _parameterSteps = new long[Parameters.Count];
    }

    /// <summary>
    /// Throws an <see cref="ArgumentOutOfRangeException"/> naming <paramref name="name"/> unless <paramref name="value"/>
    /// is finite and non-negative (NaN would otherwise slip through every comparison and poison the weights).
    /// </summary>
    protected void CheckHyperParameter(string name, float value)
    {
        if (!(value >= 0) || float.IsInfinity(value))
            throw new ArgumentOutOfRangeException(name, value, $"{GetType().Name}: {name} must be finite and non-negative, got {value}.");
    }

    /// <summary>The tensors this optimizer updates.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>Current learning rate (schedules set it).</summary>
    public float LearningRate { get; set; }

    /// <summary>Number of completed <see cref="Step"/> calls.</summary>
    public long StepCount { get; protected set; }

    /// <summary>
    /// How many updates each parameter has received. It lags <see cref="StepCount"/> for a parameter that had no
    /// gradient at some step; Adam's bias correction uses it, like PyTorch's per-parameter <c>state["step"]</c>.
    /// </summary>
    public IReadOnlyList<long> ParameterSteps => _parameterSteps;

    /// <summary>
    /// Names of the state tensors each parameter gets on its first update (e.g. "exp_avg"); they depend on the
    /// hyper-parameters (SGD without momentum has none). Subclasses fix them in their constructor.
    /// </summary>
    protected IReadOnlyList<string> StateSlots { get; private set; } = [];

    /// <summary>Declares the per-parameter state slots (call once, from the subclass constructor).</summary>
    protected void DeclareStateSlots(params string[] slots)
    {
        StateSlots = slots;
        _state = new Tensor?[Parameters.Count, slots.Length];
    }

    /// <summary>Updates every parameter that has a gradient.</summary>
    public void Step()
    {
        using (GradMode.NoGrad())
        using (TensorScope.Begin())
        {
            for (int i = 0; i < Parameters.Count; i++)
            {
                if (Parameters[i].Grad is not { } g) continue;
                // The model may have moved since the state was made (Module.To moves parameters in place).
                for (int s = 0; s < StateSlots.Count; s++) _state[i, s]?.MoveDataTo(Parameters[i].Device);
                _parameterSteps[i]++;
                Update(i, Parameters[i], g);
            }
        }
        StepCount++;
    }

    /// <summary>
    /// Applies the update rule to parameter <paramref name="index"/> (grad mode off, inside a scope for temporaries).
    /// <see cref="ParameterSteps"/> already counts this update.
    /// </summary>
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

    /// <summary>State <paramref name="slot"/> of parameter <paramref name="index"/>, or null before its first update.</summary>
    protected Tensor? State(int index, int slot) => _state[index, slot];

    /// <summary>
    /// Creates state <paramref name="slot"/> of parameter <paramref name="index"/>: zeros, or a copy of
    /// <paramref name="initial"/>. It outlives the step's scope.
    /// </summary>
    protected Tensor CreateState(int index, int slot, Tensor? initial = null)
    {
        var p = Parameters[index];
        Tensor t;
        using (TensorScope.Suspend()) t = Tensor.Zeros(p.Shape, p.Device);
        if (initial != null) t.CopyFrom(initial);
        _state[index, slot]?.Dispose();
        return _state[index, slot] = t;
    }

    /// <summary>
    /// The state tensors by name "{parameter index}.{slot}" (e.g. "0.exp_avg"), in parameter then slot order. These are
    /// the live tensors, not copies: read them, don't dispose them. Parameters not yet updated have no entries.
    /// </summary>
    public IReadOnlyDictionary<string, Tensor> StateTensors()
    {
        var dict = new Dictionary<string, Tensor>();
        for (int i = 0; i < Parameters.Count; i++)
            for (int s = 0; s < StateSlots.Count; s++)
                if (_state[i, s] is { } t) dict[StateKey(i, s)] = t;
        return dict;
    }

    private string StateKey(int index, int slot) => index.ToString(CultureInfo.InvariantCulture) + "." + StateSlots[slot];

    /// <summary>
    /// Restores state saved from <see cref="StateTensors"/>, <see cref="StepCount"/> and <see cref="ParameterSteps"/>
    /// (null: every parameter with state took all <paramref name="stepCount"/> steps). Strict, all or nothing: every
    /// problem (unknown or missing entry, shape mismatch, inconsistent counts) is listed in one
    /// <see cref="InvalidDataException"/> and nothing is changed unless all fit. Values are copied.
    /// </summary>
    public void LoadState(IReadOnlyDictionary<string, Tensor> state, long stepCount, IReadOnlyList<long>? parameterSteps = null)
    {
        var problems = StateProblems(state, stepCount, parameterSteps);
        if (problems.Count > 0)
            throw new InvalidDataException($"Error(s) in loading state for {GetType().Name}:\n  " + string.Join("\n  ", problems));
        for (int i = 0; i < Parameters.Count; i++)
        {
            for (int s = 0; s < StateSlots.Count; s++)
            {
                if (state.TryGetValue(StateKey(i, s), out var src))
                {
                    using var moved = src.Device.Equals(Parameters[i].Device) ? null : src.To(Parameters[i].Device);
                    using (GradMode.NoGrad()) CreateState(i, s, moved ?? src);
                }
                else
                {
                    _state[i, s]?.Dispose();
                    _state[i, s] = null;
                }
            }
            _parameterSteps[i] = parameterSteps?[i] ?? (HasState(i, state) ? stepCount : 0);
        }
        StepCount = stepCount;
    }

    /// <summary>Everything <see cref="LoadState"/> would reject, so a checkpoint can check before it changes anything.</summary>
    internal List<string> StateProblems(IReadOnlyDictionary<string, Tensor> state, long stepCount, IReadOnlyList<long>? parameterSteps)
    {
        var problems = new List<string>();
        if (stepCount < 0) problems.Add($"step count {stepCount} is negative");
        if (parameterSteps != null && parameterSteps.Count != Parameters.Count)
            problems.Add($"{parameterSteps.Count} per-parameter step counts for {Parameters.Count} parameters");
        var known = new HashSet<string>();
        for (int i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            int present = 0;
            for (int s = 0; s < StateSlots.Count; s++)
            {
                string key = StateKey(i, s);
                known.Add(key);
                if (!state.TryGetValue(key, out var t)) continue;
                present++;
                if (!Shape.SameShape(t.ShapeSpan, p.ShapeSpan))
                    problems.Add($"size mismatch for '{key}': state has {Shape.Format(t.ShapeSpan)}, parameter {i} has {Shape.Format(p.ShapeSpan)}");
            }
            if (present > 0 && present < StateSlots.Count)
                for (int s = 0; s < StateSlots.Count; s++)
                    if (!state.ContainsKey(StateKey(i, s)))
                        problems.Add($"missing key '{StateKey(i, s)}' (parameter {i} has other state entries)");
            if (parameterSteps != null && i < parameterSteps.Count)
            {
                long steps = parameterSteps[i];
                if (steps < 0 || steps > stepCount)
                    problems.Add($"parameter {i} took {steps} steps, outside [0, {stepCount}]");
                else if (StateSlots.Count > 0 && (steps > 0) != (present > 0))
                    problems.Add(present > 0
                        ? $"parameter {i} has state entries but took no steps"
                        : $"missing state for parameter {i}, which took {steps} steps (expected '{StateKey(i, 0)}')");
            }
        }
        foreach (var key in state.Keys)
            if (!known.Contains(key))
                problems.Add(StateSlots.Count == 0
                    ? $"unexpected key '{key}' ({GetType().Name} with these settings keeps no state)"
                    : $"unexpected key '{key}' (expected '<parameter index>.<{string.Join("|", StateSlots)}>' for {Parameters.Count} parameters)");
        return problems;
    }

    private bool HasState(int index, IReadOnlyDictionary<string, Tensor> state) =>
        StateSlots.Count > 0 && state.ContainsKey(StateKey(index, 0));

    /// <summary>Disposes the state tensors (not the parameters).</summary>
    public virtual void Dispose()
    {
        foreach (var t in _state) t?.Dispose();
        _state = new Tensor?[0, 0];
        GC.SuppressFinalize(this);
    }
}
