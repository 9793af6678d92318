namespace Tensorlet.Optim;

/// <summary>
/// Adam (Kingma &amp; Ba) with PyTorch's update rule. Per parameter, at its step t:
/// g ← g + wd·p (L2, coupled); m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; with amsgrad v̂ ← max(v̂, v) replaces v below;
/// p ← p − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + eps) — eps is added after the bias correction of √v.
/// State: "exp_avg", "exp_avg_sq" (and "max_exp_avg_sq" with amsgrad).
/// </summary>
public class Adam : Optimizer
{
    public Adam(IEnumerable<Tensor> parameters, float lr = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f,
                float eps = 1e-8f, float weightDecay = 0f, bool amsgrad = false) : base(parameters, lr)
    {
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, $"{GetType().Name}: beta1 must be in [0, 1).");
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, $"{GetType().Name}: beta2 must be in [0, 1).");
        CheckHyperParameter(nameof(eps), eps);
        CheckHyperParameter(nameof(weightDecay), weightDecay);
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        WeightDecay = weightDecay;
        AmsGrad = amsgrad;
        if (amsgrad) DeclareStateSlots("exp_avg", "exp_avg_sq", "max_exp_avg_sq");
        else DeclareStateSlots("exp_avg", "exp_avg_sq");
    }

    public float Beta1 { get; }
    public float Beta2 { get; }
    public float Eps { get; }
    public float WeightDecay { get; }
    public bool AmsGrad { get; }

    protected override void Update(int index, Tensor p, Tensor grad)
    {
        var g = DecayAndGradient(p, grad);
        var m = State(index, 0) ?? CreateState(index, 0);
        var v = State(index, 1) ?? CreateState(index, 1);
        m.MulInPlace(Beta1).AddInPlace(g, 1f - Beta1);
        v.MulInPlace(Beta2).AddInPlace(g.Mul(g), 1f - Beta2);
        var second = v;
        if (AmsGrad)
        {
            var vMax = State(index, 2) ?? CreateState(index, 2);
            vMax.BinaryInPlace<Kernels.Ops.Maximum>(v, "AmsGradMax");
            second = vMax;
        }

        // The scalars are computed in double, as PyTorch computes them in Python floats.
        long t = ParameterSteps[index];
        double stepSize = LearningRate / (1 - Math.Pow(Beta1, t));
        double correction2Sqrt = Math.Sqrt(1 - Math.Pow(Beta2, t));
        var denom = second.Sqrt();
        denom.UnaryInPlace<Kernels.Ops.Affine>("AdamDenominator", (float)(1 / correction2Sqrt), Eps);
        p.AddInPlace(m.Div(denom), (float)-stepSize);
    }

    /// <summary>The gradient Adam's moments see; Adam folds weight decay into it, AdamW decays the parameter instead.</summary>
    protected virtual Tensor DecayAndGradient(Tensor p, Tensor grad) =>
        WeightDecay != 0 ? grad.Add(p, WeightDecay) : grad;
}
