using Tensorlet.Onnx;

namespace Tensorlet.NN;

/// <summary>max(x, 0).</summary>
public sealed class ReLU : Module, IOnnxExportable
{
    public override Tensor Forward(Tensor input) => input.Relu();
    public string ExportOnnx(OnnxGraphBuilder g, string input) => g.Relu(input);
}

/// <summary>x if x &gt; 0 else slope·x.</summary>
public sealed class LeakyReLU(float negativeSlope = 0.01f) : Module, IOnnxExportable
{
    public string ExportOnnx(OnnxGraphBuilder g, string input) => g.Node("LeakyRelu", [input], ("alpha", NegativeSlope));
    public float NegativeSlope { get; } = negativeSlope;
    public override Tensor Forward(Tensor input) => input.LeakyRelu(NegativeSlope);
    protected override string Describe() => $"LeakyReLU(negative_slope={NegativeSlope})";
}

/// <summary>1/(1 + e^−x).</summary>
public sealed class Sigmoid : Module, IOnnxExportable
{
    public override Tensor Forward(Tensor input) => input.Sigmoid();
    public string ExportOnnx(OnnxGraphBuilder g, string input) => g.Sigmoid(input);
}

/// <summary>tanh x.</summary>
public sealed class Tanh : Module, IOnnxExportable
{
    public override Tensor Forward(Tensor input) => input.Tanh();
    public string ExportOnnx(OnnxGraphBuilder g, string input) => g.Node("Tanh", [input]);
}

/// <summary>x·σ(x) (SiLU, also called swish).</summary>
public sealed class SiLU : Module, IOnnxExportable
{
    public override Tensor Forward(Tensor input) => input.Silu();
    // ONNX gained a Swish op only in opset 24; x·Sigmoid(x) runs everywhere.
    public string ExportOnnx(OnnxGraphBuilder g, string input) => g.Mul(input, g.Sigmoid(input));
}

/// <summary>Merges dims <c>startDim..endDim</c> (default: all but the batch dim).</summary>
public sealed class Flatten(int startDim = 1, int endDim = -1) : Module, IOnnxExportable
{
    /// <summary>ONNX's Flatten always yields 2-D, so only the default flatten(1, −1) maps onto it.</summary>
    public string ExportOnnx(OnnxGraphBuilder g, string input) =>
        startDim == 1 && (endDim == -1 || endDim == g.InputShapeOf(this).Length - 1)
            ? g.Flatten(input)
            : throw g.Unsupported(this, $"only Flatten(start_dim=1, end_dim=-1) has an ONNX form, got start_dim={startDim}, end_dim={endDim}");
    public override Tensor Forward(Tensor input) => input.Flatten(startDim, endDim);
    protected override string Describe() => $"Flatten(start_dim={startDim}, end_dim={endDim})";
}

/// <summary>Returns its input unchanged.</summary>
public sealed class Identity : Module, IOnnxExportable
{
    public string ExportOnnx(OnnxGraphBuilder g, string input) => input;
    public override Tensor Forward(Tensor input) => input;
}
