using Tensorlet.Kernels;

namespace Tensorlet;

// Batch normalisation over the channel axis 1 of [N, C], [N, C, L] or [N, C, H, W]: per channel,
// y = (x − μ)/√(σ² + ε)·γ + β with M = N·(L or H·W) values per channel.
// Training: μ and the biased σ² come from the batch, so they depend on x and the backward is the fused
//   gx = γ·invstd/M · (M·gy − Σgy − x̂·Σ(gy·x̂)), x̂ = (x − μ)·invstd;
// the running statistics move towards the batch's (momentum m, unbiased variance σ²·M/(M − 1)).
// Eval: μ and σ² are the running statistics, constants, so gx = γ·invstd·gy. In both, gγ = Σ gy·x̂ and gβ = Σ gy.
public static partial class F
{
    /// <summary>
    /// Batch normalisation, like <c>torch.nn.functional.batch_norm</c>. With <paramref name="training"/> the batch statistics
    /// normalise and <paramref name="runningMean"/>/<paramref name="runningVar"/> (if given) are updated in place; otherwise the
    /// running statistics normalise and are required. <paramref name="weight"/> (γ) and <paramref name="bias"/> (β) are optional.
    /// </summary>
    public static Tensor BatchNorm(Tensor x, Tensor? runningMean, Tensor? runningVar, Tensor? weight = null, Tensor? bias = null,
                                   bool training = false, float momentum = 0.1f, float eps = 1e-5f)
    {
        if (x.Rank < 2)
            throw new ArgumentException($"BatchNorm: expected input [N, C, ...], got {Shape.Format(x.ShapeSpan)}.");
        int n = x.Size(0), c = x.Size(1), hw = x.Count / Math.Max(1, n * c);
        if (x.Count == 0) hw = 1;
        foreach (var (name, t) in new[] { ("running_mean", runningMean), ("running_var", runningVar), ("weight", weight), ("bias", bias) })
        {
            if (t == null) continue;
            Tensor.CheckSameDevice("BatchNorm", x, t);
            if (t.Rank != 1 || t.Size(0) != c)
                throw new ArgumentException($"BatchNorm: {name} has shape {Shape.Format(t.ShapeSpan)} but the input {Shape.Format(x.ShapeSpan)} has {c} channels.");
        }
        if (!training && (runningMean == null || runningVar == null))
            throw new ArgumentException("BatchNorm: eval mode normalises with the running statistics; pass running_mean and running_var (or training: true).");
        if (training && (long)n * hw <= 1)
            throw new ArgumentException($"BatchNorm: expected more than 1 value per channel when training, got input {Shape.Format(x.ShapeSpan)}.");

        // The kernels take every operand's own layout (a channel slice of a wider buffer included): no copy is made here.
        var backend = x.Backend;
        var y = Tensor.Empty(x.Shape, x.Device);
        var saveMean = Tensor.Empty([c], x.Device);
        var saveInvStd = Tensor.Empty([c], x.Device);
        var args = new BatchNormArgs(x.AsStrided(), weight?.AsStrided(), bias?.AsStrided(), runningMean?.AsStrided(), runningVar?.AsStrided(),
                                     saveMean.AsStrided(), saveInvStd.AsStrided(), training, momentum, eps);
        backend.BatchNormForward(args, y.AsStrided());

        Tensor[] inputs = [x, .. new[] { weight, bias }.OfType<Tensor>()];
        return Tensor.Record(y, "BatchNormBackward", inputs, gy =>
        {
            var gx = x.RequiresGrad ? Tensor.Empty(x.Shape, x.Device) : null;
            var gGamma = weight is { RequiresGrad: true } ? Tensor.Empty([c], x.Device) : null;
            var gBeta = bias is { RequiresGrad: true } ? Tensor.Empty([c], x.Device) : null;
            backend.BatchNormBackward(args, gy.AsStrided(), new BatchNormGrads(gx?.AsStrided(), gGamma?.AsStrided(), gBeta?.AsStrided()));
            if (gx != null) x.AccumulateGrad(gx);
            if (gGamma != null) weight!.AccumulateGrad(gGamma);
            if (gBeta != null) bias!.AccumulateGrad(gBeta);
        });
    }
}
