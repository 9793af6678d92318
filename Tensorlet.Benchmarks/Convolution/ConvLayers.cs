using Tensorlet.Kernels;

namespace Tensorlet.Benchmarks.Convolution;

/// <summary>
/// The convolution shapes the suites run, by name: the six cases a–f of the layer issue, and the distinct layers of
/// CIFAR ResNet-20 and DenseNet-BC-100 (k = 12) at their training resolution. All pad to keep the size ('same') except
/// the strided ones, which halve it.
/// </summary>
public static class ConvLayers
{
    private static readonly Dictionary<string, (int C, int K, int Side, int Kernel, int Stride, int Groups)> Shapes = new()
    {
        ["a"] = (3, 64, 32, 3, 1, 1),
        ["b"] = (64, 64, 32, 3, 1, 1),
        ["c"] = (128, 128, 16, 3, 1, 1),
        ["d"] = (256, 256, 8, 3, 1, 1),
        ["e"] = (64, 256, 32, 1, 1, 1),
        ["f"] = (128, 128, 16, 3, 1, 32),
        // ResNet-20: stem, the 3×3 layers of each stage, the stride-2 entries of stages 2 and 3, a 1×1 projection shortcut.
        ["r20-stem"] = (3, 16, 32, 3, 1, 1),
        ["r20-s1"] = (16, 16, 32, 3, 1, 1),
        ["r20-s2-down"] = (16, 32, 32, 3, 2, 1),
        ["r20-s2"] = (32, 32, 16, 3, 1, 1),
        ["r20-s3-down"] = (32, 64, 16, 3, 2, 1),
        ["r20-s3"] = (64, 64, 8, 3, 1, 1),
        ["r20-proj"] = (16, 32, 32, 1, 2, 1),
        // DenseNet-BC-100 (k = 12): a bottleneck 1×1 to 4k mid-block 1, the 3×3 to k in each block, the first transition.
        ["dn-b1-1x1"] = (120, 48, 32, 1, 1, 1),
        ["dn-b1-3x3"] = (48, 12, 32, 3, 1, 1),
        ["dn-b2-3x3"] = (48, 12, 16, 3, 1, 1),
        ["dn-b3-3x3"] = (48, 12, 8, 3, 1, 1),
        ["dn-trans1"] = (216, 108, 32, 1, 1, 1),
    };

    /// <summary>Every layer name, the a–f cases first.</summary>
    public static IEnumerable<string> Names => Shapes.Keys;

    /// <summary>The geometry of layer <paramref name="name"/> at batch <paramref name="batch"/>.</summary>
    public static Conv2dGeometry Geometry(string name, int batch)
    {
        if (!Shapes.TryGetValue(name, out var s))
            throw new ArgumentException($"Unknown convolution layer '{name}'. Known: {string.Join(", ", Shapes.Keys)}.");
        int pad = s.Kernel / 2;
        return new Conv2dGeometry(batch, s.C, s.Side, s.Side, s.K, s.Kernel, s.Kernel, s.Stride, s.Stride, pad, pad, Groups: s.Groups);
    }
}
