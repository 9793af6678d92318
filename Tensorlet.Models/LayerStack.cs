using Tensorlet.NN;
using Tensorlet.Onnx;

namespace Tensorlet.Models;

/// <summary>
/// A model that is a chain of individually named layers (<c>conv1</c>, <c>pool1</c>, ...) run in the order they were
/// added, ending in a flatten. Unlike one <see cref="Sequential"/>, the state-dict names carry the paper's layer
/// names (<c>conv1.0.weight</c> rather than <c>0.0.weight</c>).
/// </summary>
public abstract class LayerStack : Module, IOnnxExportable
{
    private readonly List<Module> _layers = new();

    /// <summary>Registers <paramref name="layer"/> under <paramref name="name"/> and appends it to the chain.</summary>
    protected T Add<T>(string name, T layer) where T : Module
    {
        _layers.Add(RegisterModule(name, layer));
        return layer;
    }

    /// <summary>Runs every layer in order and flattens the result to [N, features].</summary>
    public override Tensor Forward(Tensor input)
    {
        var x = input;
        foreach (var layer in _layers) x = layer.Call(x);
        return x.Flatten(1);
    }

    public string ExportOnnx(OnnxGraphBuilder g, string input) => g.Flatten(g.EmitChain(_layers, input));
}
