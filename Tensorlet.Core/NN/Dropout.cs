using Tensorlet.Onnx;

namespace Tensorlet.NN;

/// <summary>
/// Zeroes each element with probability p while training and scales the rest by 1/(1 − p); the identity in eval
/// mode. Every forward draws one seed from <paramref name="generator"/>, so a seeded generator fixes the masks of a run.
/// </summary>
public sealed class Dropout(float p = 0.5f, Generator? generator = null) : Module, IOnnxExportable
{
    /// <summary>Exports are of eval mode, where dropout is the identity: no node.</summary>
    public string ExportOnnx(OnnxGraphBuilder g, string input) => input;

    public float P { get; } = CheckP(p, "Dropout");

    public override Tensor Forward(Tensor input) => F.Dropout(input, P, IsTraining, generator);

    protected override string Describe() => $"Dropout(p={PyRepr.Float(P)}, inplace=False)";

    internal static float CheckP(float p, string layer) =>
        p is >= 0f and <= 1f ? p : throw new ArgumentOutOfRangeException(nameof(p), p, $"{layer}: dropout probability must be in [0, 1].");
}

/// <summary>
/// Zeroes whole channels of [N, C, H, W] with probability p while training (one draw per sample and channel) and
/// scales the rest by 1/(1 − p); the identity in eval mode. Neighbouring pixels are correlated, so dropping single
/// elements barely regularises a convolution; dropping feature maps does.
/// </summary>
public sealed class Dropout2d(float p = 0.5f, Generator? generator = null) : Module, IOnnxExportable
{
    /// <summary>The identity in eval mode: no node.</summary>
    public string ExportOnnx(OnnxGraphBuilder g, string input) => input;

    public float P { get; } = Dropout.CheckP(p, "Dropout2d");

    public override Tensor Forward(Tensor input) => F.Dropout2d(input, P, IsTraining, generator);

    protected override string Describe() => $"Dropout2d(p={PyRepr.Float(P)}, inplace=False)";
}
