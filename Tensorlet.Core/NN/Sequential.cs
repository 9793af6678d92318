using Tensorlet.Onnx;

namespace Tensorlet.NN;

/// <summary>Runs its children in order, each on the previous one's output; children are named "0", "1", ...</summary>
public sealed class Sequential : Module, IOnnxExportable
{
    private readonly List<Module> _layers = new();

    public Sequential(params Module[] layers)
    {
        foreach (var layer in layers) Add(layer);
    }

    /// <summary>Appends a layer (named by its position).</summary>
    public Sequential Add(Module layer)
    {
        RegisterModule(_layers.Count.ToString(), layer);
        _layers.Add(layer);
        return this;
    }

    public int Count => _layers.Count;
    public Module this[int index] => _layers[index];

    public string ExportOnnx(OnnxGraphBuilder g, string input) => g.EmitChain(_layers, input);

    public override Tensor Forward(Tensor input)
    {
        var x = input;
        foreach (var layer in _layers) x = layer.Call(x);
        return x;
    }
}
