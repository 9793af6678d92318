namespace Tensorlet.Optim;

/// <summary>
/// lr = ηmin + (base − ηmin)·(1 + cos(π·epoch / tMax)) / 2: half a cosine from the base rate down to ηmin over
/// <c>tMax</c> epochs (PyTorch's <c>CosineAnnealingLR</c> closed form, without restarts; past tMax it rises again).
/// </summary>
public sealed class CosineAnnealingLR : LRSchedule
{
    public CosineAnnealingLR(Optimizer optimizer, int tMax, float etaMin = 0f) : base(optimizer)
    {
        if (tMax <= 0) throw new ArgumentOutOfRangeException(nameof(tMax), tMax, "CosineAnnealingLR: tMax must be positive.");
        TMax = tMax;
        EtaMin = etaMin;
        Apply();
    }

    public int TMax { get; }
    public float EtaMin { get; }

    protected override double RateAt(int epoch) => EtaMin + (BaseLearningRate - (double)EtaMin) * (1 + Math.Cos(Math.PI * epoch / TMax)) / 2;
}
