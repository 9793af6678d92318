using Tensorlet.NN;
using Tensorlet.Onnx;

namespace Tensorlet.Models;

/// <summary>
/// Channel attention in the squeeze-and-excitation style used by CliqueNet's attentional transition: global average
/// pooling, FC to C/2, ReLU, FC back to C, sigmoid, and the input scaled channel by channel.
/// </summary>
public sealed class ChannelAttention : Module, IOnnxExportable
{
    private readonly Linear _fc1, _fc2;

    public ChannelAttention(int channels, int reduction = 2, Generator? generator = null)
    {
        if (channels <= 0 || reduction <= 0 || channels / reduction == 0)
            throw new ArgumentException($"ChannelAttention: channels {channels} / reduction {reduction} must leave at least one unit.");
        _fc1 = RegisterModule("fc1", new Linear(channels, channels / reduction, generator: generator));
        _fc2 = RegisterModule("fc2", new Linear(channels / reduction, channels, generator: generator));
    }

    public override Tensor Forward(Tensor input)
    {
        var squeezed = input.Mean([2, 3], keepDim: false);
        var gate = _fc2.Call(_fc1.Call(squeezed).Relu()).Sigmoid();
        return input.Mul(gate.Reshape(gate.Shape[0], gate.Shape[1], 1, 1));
    }

    public string ExportOnnx(OnnxGraphBuilder g, string input)
    {
        var gate = g.Sigmoid(g.Emit(_fc2, g.Relu(g.Emit(_fc1, g.Flatten(g.GlobalAveragePool(input))))));
        // Reshape's 0 keeps the batch size, whatever it is at run time.
        return g.Mul(input, g.Node("Reshape", [gate, g.Constant("shape", 0, -1, 1, 1)]));
    }
}

/// <summary>
/// CliqueNet's transition between blocks: BN → ReLU → 1×1 conv (channels kept) → dropout → optional channel attention
/// → 2×2 average pooling. It receives only the Stage-II features of the block, not X₀. In the authors' code the
/// compression option halves the block feature that feeds the classifier (<see cref="CliqueNet"/>), not the transition.
/// </summary>
public sealed class CliqueTransition : Module, IOnnxExportable
{
    private readonly NamedSequential _body;

    public CliqueTransition(int channels, bool attention, float dropRate, Generator? generator)
    {
        _body = RegisterModule("body", new NamedSequential().AddBnReluConv("", channels, channels, 1, dropRate, generator));
        if (attention) _body.Add("attention", new ChannelAttention(channels, 2, generator));
        _body.Add("pool", new AvgPool2d(2, 2));
    }

    public override Tensor Forward(Tensor input) => _body.Call(input);

    public string ExportOnnx(OnnxGraphBuilder g, string input) => g.Emit(_body, input);
}
