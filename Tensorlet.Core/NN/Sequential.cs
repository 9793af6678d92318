using Tensorlet.Onnx;

namespace Tensorlet.NN;

/// <summary>Runs its children in order, each on the previous one's output; children are named "0", "1", ...</summary>
public sealed class Sequential : ModuleSequence<Sequential>, IOnnxExportable
{
    public Sequential(params Module[] layers) : base(layers) { }

    public string ExportOnnx(OnnxGraphBuilder g, string input) => g.EmitChain(Items, input);

    public override Tensor Forward(Tensor input)
    {
        var x = input;
        foreach (var layer in Items) x = layer.Call(x);
        return x;
    }
}
