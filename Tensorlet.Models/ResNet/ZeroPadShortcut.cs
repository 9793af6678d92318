using Tensorlet.NN;
using Tensorlet.Onnx;

namespace Tensorlet.Models;

/// <summary>
/// Option A shortcut of He et al. (2016, §3.3/§4.2): identity that subsamples x[:, :, ::s, ::s] and pads the new
/// channels with zeros, so the CIFAR ResNets add no parameters for the shortcut. The zeros are split evenly before
/// and after the existing channels, as in the widely used pytorch_resnet_cifar10 code (which pads planes/4 each side).
/// </summary>
public sealed class ZeroPadShortcut : Module, IOnnxExportable
{
    public ZeroPadShortcut(int inChannels, int outChannels, int stride)
    {
        if (outChannels < inChannels || stride <= 0)
            throw new ArgumentException($"ZeroPadShortcut: needs outChannels ≥ inChannels and a positive stride, got {inChannels} → {outChannels}, stride {stride}.");
        InChannels = inChannels;
        OutChannels = outChannels;
        Stride = stride;
    }

    public int InChannels { get; }
    public int OutChannels { get; }
    public int Stride { get; }

    public override Tensor Forward(Tensor input)
    {
        var x = Stride == 1 ? input : input.Slice(2, 0, int.MaxValue, Stride).Slice(3, 0, int.MaxValue, Stride);
        int extra = OutChannels - InChannels;
        if (extra == 0) return x;
        int before = extra / 2;
        return x.Pad([0, 0, 0, 0, before, extra - before]);   // (W), (H), (C) pairs, last dim first
    }

    /// <summary>Slice with steps (x[:, :, ::s, ::s]), then a constant Pad of the channel axis.</summary>
    public string ExportOnnx(OnnxGraphBuilder g, string input)
    {
        var x = Stride == 1 ? input
            : g.Node("Slice", [input, g.Constant("starts", 0, 0), g.Constant("ends", long.MaxValue, long.MaxValue),
                               g.Constant("axes", 2, 3), g.Constant("steps", Stride, Stride)]);
        int extra = OutChannels - InChannels;
        if (extra == 0) return x;
        int before = extra / 2;
        // ONNX pads list every axis's begin, then every axis's end: [N, C, H, W] begins, then ends.
        return g.Node("Pad", [x, g.Constant("pads", 0, before, 0, 0, 0, extra - before, 0, 0)], ("mode", "constant"));
    }
}
