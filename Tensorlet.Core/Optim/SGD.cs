namespace Tensorlet.Optim;

/// <summary>
/// Stochastic gradient descent with PyTorch's semantics: d = g + wd·p; with momentum the buffer starts as d
/// (no dampening on the first step) then b = μ·b + (1 − dampening)·d; Nesterov uses d + μ·b, plain uses b;
/// finally p −= lr·d. State: "momentum_buffer" per parameter when μ ≠ 0.
/// </summary>
public sealed class SGD : Optimizer
{
    public SGD(IEnumerable<Tensor> parameters, float lr, float momentum = 0f, float dampening = 0f,
               float weightDecay = 0f, bool nesterov = false) : base(parameters, lr)
    {
        CheckHyperParameter(nameof(momentum), momentum);
        CheckHyperParameter(nameof(dampening), dampening);
        CheckHyperParameter(nameof(weightDecay), weightDecay);
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException("SGD: Nesterov momentum requires momentum > 0 and zero dampening.");
        Momentum = momentum;
        Dampening = dampening;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
        if (momentum != 0) DeclareStateSlots("momentum_buffer");
    }

    public float Momentum { get; }
    public float Dampening { get; }
    public float WeightDecay { get; }
    public bool Nesterov { get; }

    /// <summary>The momentum buffer of parameter <paramref name="index"/> (null before its first step or without momentum).</summary>
    public Tensor? MomentumBuffer(int index) => Momentum != 0 ? State(index, 0) : null;

    protected override void Update(int index, Tensor p, Tensor grad)
    {
        var d = WeightDecay != 0 ? grad.Add(p, WeightDecay) : grad;
        if (Momentum != 0)
        {
            var buf = State(index, 0);
            if (buf == null) buf = CreateState(index, 0, d);
            else buf.MulInPlace(Momentum).AddInPlace(d, 1f - Dampening);
            d = Nesterov ? d.Add(buf, Momentum) : buf;
        }
        p.AddInPlace(d, -LearningRate);
    }
}
