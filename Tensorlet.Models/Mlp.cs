using Tensorlet.NN;
using Tensorlet.Onnx;

namespace Tensorlet.Models;

/// <summary>
/// A multilayer perceptron: flatten, then Linear–ReLU for each hidden width, then a Linear classifier.
/// The baseline every image model here should beat.
/// </summary>
public sealed class Mlp : Module, IOnnxExportable
{
    private readonly Sequential _layers;

    public Mlp(int inFeatures = 784, int[]? hidden = null, int numClasses = 10, Generator? generator = null)
    {
        hidden ??= [256];
        var layers = new List<Module> { new Flatten() };
        int width = inFeatures;
        foreach (int h in hidden)
        {
            layers.Add(new Linear(width, h, generator: generator));
            layers.Add(new ReLU());
            width = h;
        }
        layers.Add(new Linear(width, numClasses, generator: generator));
        _layers = RegisterModule("layers", new Sequential(layers.ToArray()));
    }

    public override Tensor Forward(Tensor input) => _layers.Forward(input);

    public string ExportOnnx(OnnxGraphBuilder g, string input) => g.Emit(_layers, input);
}
