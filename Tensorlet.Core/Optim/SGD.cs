namespace Tensorlet.Optim;

/// <summary>
/// Stochastic gradient descent with PyTorch's semantics: d = g + wd·p; with momentum the buffer starts as d
/// (no dampening on the first step) then b = μ·b + (1 − dampening)·d; Nesterov uses d + μ·b, plain uses b;
/// finally p −= lr·d.
/// </summary>
public sealed class SGD : Optimizer
{
    private readonly Tensor?[] _momentum;

    public SGD(IEnumerable<Tensor> parameters, float lr, float momentum = 0f, float dampening = 0f,
               float weightDecay = 0f, bool nesterov = false) : base(parameters, lr)
    {
        if (momentum < 0) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "SGD: momentum must be non-negative.");
        if (weightDecay < 0) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "SGD: weight decay must be non-negative.");
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException("SGD: Nesterov momentum requires momentum > 0 and zero dampening.");
        Momentum = momentum;
        Dampening = dampening;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
        _momentum = new Tensor?[Parameters.Count];
    }

    public float Momentum { get; }
    public float Dampening { get; }
    public float WeightDecay { get; }
    public bool Nesterov { get; }

    /// <summary>The momentum buffer of parameter <paramref name="index"/> (null before its first step).</summary>
    public Tensor? MomentumBuffer(int index) => _momentum[index];

    protected override void Update(int index, Tensor p, Tensor grad)
    {
        var d = WeightDecay != 0 ? grad.Add(p, WeightDecay) : grad;
        if (Momentum != 0)
        {
            var buf = _momentum[index];
            if (buf == null) _momentum[index] = buf = NewState(p).CopyFrom(d);
            else buf.MulInPlace(Momentum).AddInPlace(d, 1f - Dampening);
            d = Nesterov ? d.Add(buf, Momentum) : buf;
        }
        p.AddInPlace(d, -LearningRate);
    }

    public override void Dispose()
    {
        foreach (var b in _momentum) b?.Dispose();
    }
}
