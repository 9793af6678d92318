namespace Tensorlet.NN;

/// <summary>
/// Base of every layer and model, like <c>torch.nn.Module</c>: named parameters and buffers (registered in
/// order), child modules (names nest as <c>layer1.0.conv1.weight</c>), train/eval mode, state dicts.
/// Subclasses register what they own in their constructor and implement <see cref="Forward"/>.
/// </summary>
public abstract partial class Module : IDisposable
{
    private readonly List<(string Name, Tensor Tensor)> _parameters = new();
    private readonly List<(string Name, Tensor Tensor)> _buffers = new();
    private readonly List<(string Name, Module Module)> _children = new();

    /// <summary>True in training mode (the default); affects dropout and batch norm.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>Computes the module's output.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>
    /// Runs <see cref="Forward"/> (like calling a PyTorch module), with the forward hooks around it. Containers call
    /// their children through this, so tools such as <see cref="Summary"/> and the hooks see every layer.
    /// </summary>
    public Tensor Call(Tensor input)
    {
        RunForwardPreHooks(input);
        var recorder = SummaryRecorder.Current;
        Tensor output;
        if (recorder == null) output = Forward(input);
        else
        {
            int slot = recorder.Enter();
            output = Forward(input);
            recorder.Exit(slot, this, input, output);
        }
        RunForwardHooks(input, output);
        return output;
    }

    /// <summary>FLOPs of this module's own computation (not its children's) for one forward pass; multiply-add = 2.</summary>
    public virtual double ForwardFlops(int[] inputShape, int[] outputShape) => 0;

    /// <summary>
    /// Runs one forward pass on zeros of <paramref name="inputShape"/> (batch included, e.g. [1, 3, 32, 32]) in eval
    /// mode without a graph, and tabulates every module called: output shape, parameters, FLOPs — like torchinfo.
    /// </summary>
    public ModelSummary Summary(params int[] inputShape)
    {
        bool wasTraining = IsTraining;
        var device = Parameters().FirstOrDefault()?.Device ?? Device.Default;
        var recorder = new SummaryRecorder(this);
        Eval();
        try
        {
            SummaryRecorder.Current = recorder;
            using (TensorScope.Begin())
            using (GradMode.NoGrad())
                Call(Tensor.Zeros(inputShape, device));
        }
        finally
        {
            SummaryRecorder.Current = null;
            Train(wasTraining);
        }
        return recorder.Build(this, inputShape);
    }

    /// <summary>Registers a learnable tensor under <paramref name="name"/> (sets RequiresGrad; keeps it out of any scope).</summary>
    protected Tensor RegisterParameter(string name, Tensor tensor)
    {
        CheckName(name);
        tensor.RequiresGrad = true;
        _parameters.Add((name, tensor));
        return tensor;
    }

    /// <summary>Registers persistent non-learnable state (e.g. running statistics) saved in the state dict.</summary>
    protected Tensor RegisterBuffer(string name, Tensor tensor)
    {
        CheckName(name);
        _buffers.Add((name, tensor));
        return tensor;
    }

    /// <summary>Registers a child module; its entries appear as <c>name.child_entry</c>.</summary>
    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        CheckName(name);
        _children.Add((name, module));
        return module;
    }

    private void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.'))
            throw new ArgumentException($"Invalid name '{name}': names must be non-empty and contain no '.'.");
        if (_parameters.Any(p => p.Name == name) || _buffers.Any(b => b.Name == name) || _children.Any(c => c.Name == name))
            throw new ArgumentException($"{GetType().Name} already has an entry named '{name}'.");
    }

    /// <summary>Replaces the tensor of a registered parameter or buffer (for a subclass that swaps one; <see cref="To"/> moves data in place instead).</summary>
    protected void ReplaceTensor(string name, Tensor tensor)
    {
        int i = _parameters.FindIndex(p => p.Name == name);
        if (i >= 0) { tensor.RequiresGrad = true; _parameters[i] = (name, tensor); OnTensorReplaced(name, tensor); return; }
        i = _buffers.FindIndex(b => b.Name == name);
        if (i >= 0) { _buffers[i] = (name, tensor); OnTensorReplaced(name, tensor); return; }
        throw new ArgumentException($"{GetType().Name} has no parameter or buffer named '{name}'.");
    }

    /// <summary>Called when a registered tensor is replaced, so a subclass can update its field.</summary>
    protected virtual void OnTensorReplaced(string name, Tensor tensor) { }

    /// <summary>Direct children, in registration order.</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren() => _children;

    /// <summary>This module and every descendant, with dotted names ("" for this one).</summary>
    public IEnumerable<(string Name, Module Module)> NamedModules(string prefix = "")
    {
        yield return (prefix, this);
        foreach (var (name, child) in _children)
            foreach (var m in child.NamedModules(Join(prefix, name))) yield return m;
    }

    /// <summary>Every learnable tensor with its dotted name, in registration order.</summary>
    public IEnumerable<(string Name, Tensor Parameter)> NamedParameters(string prefix = "")
    {
        foreach (var (name, p) in _parameters) yield return (Join(prefix, name), p);
        foreach (var (name, child) in _children)
            foreach (var p in child.NamedParameters(Join(prefix, name))) yield return p;
    }

    /// <summary>Every buffer with its dotted name.</summary>
    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers(string prefix = "")
    {
        foreach (var (name, b) in _buffers) yield return (Join(prefix, name), b);
        foreach (var (name, child) in _children)
            foreach (var b in child.NamedBuffers(Join(prefix, name))) yield return b;
    }

    /// <summary>Every learnable tensor.</summary>
    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Parameter);

    /// <summary>Total number of learnable scalars.</summary>
    public long ParameterCount() => Parameters().Sum(p => (long)p.Count);

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;

    /// <summary>Switches this module and its descendants to training mode.</summary>
    public Module Train(bool mode = true)
    {
        foreach (var (_, m) in NamedModules()) m.IsTraining = mode;
        return this;
    }

    /// <summary>Switches to evaluation mode (dropout off, batch norm uses running statistics).</summary>
    public Module Eval() => Train(false);

    /// <summary>Drops every parameter's gradient (PyTorch's default <c>set_to_none=True</c>), returning its memory to the pool.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters())
        {
            p.Grad?.Dispose();
            p.Grad = null;
        }
    }

    /// <summary>Parameters and buffers by dotted name (the tensors themselves, not copies).</summary>
    public IReadOnlyDictionary<string, Tensor> StateDict()
    {
        var dict = new Dictionary<string, Tensor>();
        foreach (var (n, p) in NamedParameters()) dict[n] = p;
        foreach (var (n, b) in NamedBuffers()) dict[n] = b;
        return dict;
    }

    /// <summary>
    /// Copies values from <paramref name="state"/> into this module's parameters and buffers, like PyTorch's
    /// <c>load_state_dict</c>. Strict (the default): every entry must be present with the same shape and no extra entries
    /// may exist. Not strict: entries present on both sides are copied, and the names only one side has are returned
    /// (e.g. to load a backbone and keep a new head). Shape mismatches throw either way. All problems are listed
    /// together, and nothing is copied unless all entries fit.
    /// </summary>
    /// <returns>The model's names the state lacked and the state's names the model lacks (both empty when strict).</returns>
    public IncompatibleKeys LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        var keys = CheckStateDict(state, strict);
        var own = StateDict();
        using (GradMode.NoGrad())
            foreach (var (name, t) in own)
            {
                if (!state.TryGetValue(name, out var src)) continue;
                if (src.Device.Equals(t.Device)) t.CopyFrom(src);
                else using (var moved = src.To(t.Device)) t.CopyFrom(moved);
            }
        return keys;
    }

    /// <summary>Throws what <see cref="LoadStateDict"/> would throw, changing nothing (checkpoints check everything first).</summary>
    internal IncompatibleKeys CheckStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        var own = StateDict();
        var problems = new List<string>();
        var missing = new List<string>();
        foreach (var (name, t) in own)
        {
            if (!state.TryGetValue(name, out var src))
            {
                missing.Add(name);
                if (strict) problems.Add($"missing key '{name}' (expected shape {Shape.Format(t.ShapeSpan)})");
            }
            else if (!Shape.SameShape(src.ShapeSpan, t.ShapeSpan))
                problems.Add($"size mismatch for '{name}': checkpoint has {Shape.Format(src.ShapeSpan)}, model has {Shape.Format(t.ShapeSpan)}");
        }
        var unexpected = state.Keys.Where(name => !own.ContainsKey(name)).ToList();
        if (strict) problems.AddRange(unexpected.Select(name => $"unexpected key '{name}'"));
        if (problems.Count > 0)
            throw new InvalidDataException($"Error(s) in loading state dict for {GetType().Name}:\n  " + string.Join("\n  ", problems));
        return new IncompatibleKeys(missing, unexpected);
    }

    /// <summary>Writes <see cref="StateDict"/> to a safetensors file (atomically), readable by PyTorch's <c>safetensors.torch.load_file</c>.</summary>
    public void SaveSafeTensors(string path, IReadOnlyDictionary<string, string>? metadata = null) =>
        IO.SafeTensors.Save(path, StateDict(), metadata);

    /// <summary>
    /// Loads a safetensors file (e.g. from PyTorch's <c>save_file(model.state_dict())</c>) with <see cref="LoadStateDict"/>'s
    /// rules: <paramref name="strict"/> false loads the entries both sides share and returns the others.
    /// </summary>
    public IncompatibleKeys LoadSafeTensors(string path, bool strict = true)
    {
        using var file = IO.SafeTensors.Read(path);
        try { return LoadStateDict(file.Tensors, strict); }
        catch (InvalidDataException ex) { throw new InvalidDataException($"{path}: {ex.Message}", ex); }
    }

    /// <summary>
    /// Moves every parameter and buffer (and gradient) to <paramref name="device"/> in place, like PyTorch: the same
    /// tensor objects now hold their data there, so an optimizer made before the move keeps updating the model.
    /// </summary>
    public virtual Module To(Device device)
    {
        foreach (var p in Parameters()) p.MoveDataTo(device);
        foreach (var (_, b) in NamedBuffers()) b.MoveDataTo(device);
        return this;
    }

    /// <summary>Disposes parameters, buffers and children.</summary>
    public virtual void Dispose()
    {
        foreach (var (_, p) in _parameters) { p.Grad?.Dispose(); p.Dispose(); }
        foreach (var (_, b) in _buffers) b.Dispose();
        foreach (var (_, c) in _children) c.Dispose();
        GC.SuppressFinalize(this);
    }

    public override string ToString() => ToString(0);

    private string ToString(int indent)
    {
        if (_children.Count == 0) return Describe();
        var pad = new string(' ', indent + 2);
        var lines = _children.Select(c => $"{pad}({c.Name}): {c.Module.ToString(indent + 2)}");
        return $"{GetType().Name}(\n{string.Join("\n", lines)}\n{new string(' ', indent)})";
    }

    /// <summary>One-line description of a leaf module, like PyTorch's <c>extra_repr</c>.</summary>
    protected virtual string Describe() => GetType().Name + "()";
}
