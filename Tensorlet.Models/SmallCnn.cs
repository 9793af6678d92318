using Tensorlet.NN;
using Tensorlet.Onnx;

namespace Tensorlet.Models;

/// <summary>
/// The README's main job: a small VGG-style CNN for 28×28 (or 32×32) images — three stages of
/// 3×3 conv → batch norm → ReLU, max pooling between stages, global average pooling and a linear classifier.
/// At width 32: 94 K parameters and 15 MFLOPs per 28×28 image.
/// </summary>
public sealed class SmallCnn : Module, IOnnxExportable
{
    private readonly Sequential _features;
    private readonly Linear _classifier;

    public SmallCnn(int inChannels = 1, int numClasses = 10, int width = 32, Generator? generator = null)
    {
        if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, "SmallCnn: width must be positive.");
        int w1 = width, w2 = 2 * width, w3 = 4 * width;
        _features = RegisterModule("features", new Sequential(
            ConvBnRelu(inChannels, w1, generator), new MaxPool2d(2),
            ConvBnRelu(w1, w2, generator), new MaxPool2d(2),
            ConvBnRelu(w2, w3, generator),
            new AdaptiveAvgPool2d(1), new Flatten()));
        _classifier = RegisterModule("classifier", new Linear(w3, numClasses, generator: generator));
    }

    private static Sequential ConvBnRelu(int inC, int outC, Generator? generator) =>
        new(new Conv2d(inC, outC, 3, padding: 1, bias: false, generator: generator), new BatchNorm2d(outC), new ReLU());

    public override Tensor Forward(Tensor input) => _classifier.Call(_features.Call(input));

    public string ExportOnnx(OnnxGraphBuilder g, string input) => g.Emit(_classifier, g.Emit(_features, input));
}
