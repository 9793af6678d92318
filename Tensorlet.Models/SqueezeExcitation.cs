using Tensorlet.NN;
using Tensorlet.Onnx;

namespace Tensorlet.Models;

/// <summary>
/// Squeeze-and-excitation (Hu et al., 2018): global average pooling squeezes each channel to one number, two
/// 1×1 convolutions (C → C/r → C, with biases, as in the authors' Caffe models) with a ReLU between and a sigmoid
/// after produce a gate per channel, and the input is rescaled channel by channel.
/// 1×1 convolutions on a 1×1 map are the paper's fully connected layers, and keep the tensor 4-D so the gate
/// broadcasts over H and W without reshapes.
/// </summary>
public sealed class SqueezeExcitation : Module, IOnnxExportable
{
    private readonly Conv2d _fc1, _fc2;

    /// <param name="channels">C, the number of channels gated.</param>
    /// <param name="reduction">r; the bottleneck has max(1, C / r) units, so small CIFAR stages (C = 16, r = 16) keep one unit.</param>
    public SqueezeExcitation(int channels, int reduction = 16, Generator? generator = null)
    {
        if (channels <= 0 || reduction <= 0)
            throw new ArgumentException($"SqueezeExcitation: channels ({channels}) and reduction ({reduction}) must be positive.");
        Channels = channels;
        Hidden = Math.Max(1, channels / reduction);
        _fc1 = RegisterModule("fc1", new Conv2d(channels, Hidden, 1, generator: generator));
        _fc2 = RegisterModule("fc2", new Conv2d(Hidden, channels, 1, generator: generator));
    }

    /// <summary>C, the number of channels gated.</summary>
    public int Channels { get; }

    /// <summary>Units in the bottleneck, max(1, C / r).</summary>
    public int Hidden { get; }

    public override Tensor Forward(Tensor input)
    {
        var squeezed = input.Mean([2, 3], keepDim: true);              // [N, C, 1, 1]
        var gate = _fc2.Call(_fc1.Call(squeezed).Relu()).Sigmoid();    // [N, C, 1, 1], in (0, 1)
        return input.Mul(gate);
    }

    public string ExportOnnx(OnnxGraphBuilder g, string input) =>
        g.Mul(input, g.Sigmoid(g.Emit(_fc2, g.Relu(g.Emit(_fc1, g.GlobalAveragePool(input))))));
}
