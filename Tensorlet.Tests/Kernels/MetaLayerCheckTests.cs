using Tensorlet.Kernels;

namespace Tensorlet.Tests.Kernels;

/// <summary>
/// The meta backend computes nothing, but its convolution, pooling and batch-norm entries still refuse views whose shapes
/// disagree with the call, with the message every other backend gives; it has no memory to check bounds against.
/// </summary>
public class MetaLayerCheckTests
{
    private static readonly IBackend Meta = Backends.Meta;

    private static StridedView V(params int[] shape) => StridedView.Contiguous(Meta.Allocate(0), 0, shape);

    private static void Refuses(Action call, string message) =>
        Assert.That(Assert.Throws<ArgumentException>(() => call())!.Message, Does.StartWith(message));

    [Test]
    public void ConvolutionShapesAreChecked()
    {
        var g = new Conv2dGeometry(N: 2, C: 3, H: 5, W: 5, K: 4, KH: 3, KW: 3);
        Assert.DoesNotThrow(() => Meta.Conv2d(g, V(g.InputShape()), V(g.WeightShape()), V(4), V(g.OutputShape())));
        Refuses(() => Meta.Conv2d(g, V(2, 4, 5, 5), V(g.WeightShape()), null, V(g.OutputShape())), "Conv2d: 'x' has shape [2, 4, 5, 5]");
        Refuses(() => Meta.Conv2dBackwardWeight(g, V(g.InputShape()), V(g.OutputShape()), V(g.WeightShape()), V(3)),
                "Conv2dBackwardWeight: 'gradBias' has shape [3]");
        Refuses(() => Meta.Fold(g, V(2, 27, 8), V(g.InputShape())), "Fold: 'cols' has shape [2, 27, 8]");
        Refuses(() => Meta.Conv2d(g, default, V(g.WeightShape()), null, V(g.OutputShape())), "Conv2d: 'x' is a default view with no shape");
    }

    [Test]
    public void PoolingShapesAreChecked()
    {
        var g = new Pool2dGeometry(2, 3, 6, 6, 2, 2, 2, 2);
        Assert.DoesNotThrow(() => Meta.MaxPool2d(g, V(g.InputShape()), V(g.OutputShape()), V(g.OutputShape())));
        Refuses(() => Meta.AvgPool2d(g, V(g.InputShape()), V(2, 3, 4, 4)), "AvgPool2d: 'y' has shape [2, 3, 4, 4]");
        Refuses(() => Meta.AdaptiveAvgPool2d(V(2, 3, 6, 6), V(3, 3, 1, 1)), "AdaptiveAvgPool2d: 'x' [2, 3, 6, 6] and 'y' [3, 3, 1, 1]");
    }

    [Test]
    public void BatchNormShapesAreChecked()
    {
        var args = new BatchNormArgs(V(2, 3, 4), null, null, null, null, V(3), V(3), true, 0.1f, 1e-5f);
        Assert.DoesNotThrow(() => Meta.BatchNormForward(args, V(2, 3, 4)));
        Refuses(() => Meta.BatchNormForward(args, V(2, 3, 5)), "BatchNormForward: 'y' has shape [2, 3, 5]");
        Refuses(() => Meta.BatchNormBackward(args, V(2, 3, 4), new(V(2, 3, 4), V(4), null)), "BatchNormBackward: 'gradGamma' has shape [4]");
    }
}
