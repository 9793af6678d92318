using Tensorlet.Onnx;

namespace Tensorlet.NN;

/// <summary>Concatenated ReLU: cat(relu(x), relu(−x)) on the channel axis, so C input channels give 2C outputs.</summary>
public sealed class CReLU : Module, IOnnxExportable
{
    /// <summary>Concat(Relu(x), Relu(Neg(x))) on the channel axis.</summary>
    public string ExportOnnx(OnnxGraphBuilder g, string input) =>
        g.Concat([g.Relu(input), g.Relu(g.Node("Neg", [input]))], axis: 1);

    public override Tensor Forward(Tensor input)
    {
        if (input.Rank < 2) throw new ArgumentException($"CReLU: expected input [N, C, ...], got {Shape.Format(input.ShapeSpan)}.");
        return F.CReLU(input);
    }
}
