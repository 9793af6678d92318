using Tensorlet.NN;
using Tensorlet.Onnx;

namespace Tensorlet.Models;

/// <summary>
/// A <see cref="Sequential"/> whose children carry chosen names (like <c>nn.Sequential(OrderedDict(...))</c>),
/// so that state-dict keys can match a reference implementation (torchvision's <c>features.conv0</c>, ...).
/// </summary>
public sealed class NamedSequential : Module, IOnnxExportable
{
    private readonly List<Module> _layers = new();

    /// <summary>Appends <paramref name="layer"/> under <paramref name="name"/>; returns this for chaining.</summary>
    public NamedSequential Add(string name, Module layer)
    {
        RegisterModule(name, layer);
        _layers.Add(layer);
        return this;
    }

    /// <summary>Number of children.</summary>
    public int Count => _layers.Count;

    public string ExportOnnx(OnnxGraphBuilder g, string input) => g.EmitChain(_layers, input);

    public override Tensor Forward(Tensor input)
    {
        var x = input;
        foreach (var layer in _layers) x = layer.Call(x);
        return x;
    }

    /// <summary>
    /// Appends the pre-activation composite BN → ReLU → conv (DenseNet's H_ℓ, CliqueNet's transitions) as
    /// <c>norm{suffix}</c>, <c>relu{suffix}</c>, <c>conv{suffix}</c> and, when <paramref name="dropRate"/> &gt; 0, a dropout
    /// after the convolution. Convolutions carry no bias: the batch norm that follows them supplies the shift.
    /// </summary>
    public NamedSequential AddBnReluConv(string suffix, int inChannels, int outChannels, int kernelSize, float dropRate, Generator? generator)
    {
        Add("norm" + suffix, new BatchNorm2d(inChannels));
        Add("relu" + suffix, new ReLU());
        Add("conv" + suffix, new Conv2d(inChannels, outChannels, kernelSize, padding: kernelSize / 2, bias: false, generator: generator));
        if (dropRate > 0) Add("drop" + suffix, new Dropout(dropRate, generator));
        return this;
    }
}
