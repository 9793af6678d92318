using Tensorlet.Models;
using static Tensorlet.Tests.Models.ModelTestHelpers;

namespace Tensorlet.Tests.Models;

/// <summary>DenseNet: parameter counts against torchvision and the paper, torchvision's state-dict names, shapes and gradients.</summary>
public class DenseNetTests
{
    // torchvision.models.densenet121/169/201/161() with 1000 classes: sum(p.numel() for p in m.parameters())
    // (also the "num_params" field of torchvision's weight metadata: 7,978,856 / 14,149,480 / 20,013,928 / 28,681,000).
    // Only constructed, never run at 224×224.
    [TestCase(121, 7_978_856)]
    [TestCase(169, 14_149_480)]
    [TestCase(201, 20_013_928)]
    [TestCase(161, 28_681_000)]
    public void ImageNetParameterCountsMatchTorchvision(int depth, long expected)
    {
        using var model = depth switch
        {
            121 => DenseNet.DenseNet121(),
            169 => DenseNet.DenseNet169(),
            201 => DenseNet.DenseNet201(),
            _ => DenseNet.DenseNet161(),
        };
        Assert.That(model.ParameterCount(), Is.EqualTo(expected));
    }

    // Exact counts of the authors' layout (liuzhuang13/DenseNet, no conv bias, BN affine, linear with bias) for CIFAR-10,
    // and the rounded figure of the paper's Table 2 (Huang et al. 2017) they must reproduce.
    // Basic DenseNet: first conv 16 channels, as the paper says; with 2k channels (the Torch script's default)
    // L=40 would give 1,059,298 (1.1 M) and L=100,k=24 28,071,706 (28.1 M), which the table does not report.
    [TestCase(false, 40, 12, 1_019_722, 1.0)]
    [TestCase(false, 100, 12, 6_979_642, 7.0)]
    [TestCase(false, 100, 24, 27_249_082, 27.2)]
    [TestCase(true, 100, 12, 769_162, 0.8)]
    [TestCase(true, 250, 24, 15_324_406, 15.3)]
    [TestCase(true, 190, 40, 25_624_430, 25.6)]
    public void CifarParameterCountsRoundToThePaper(bool bc, int depth, int growth, long exact, double paperMillions)
    {
        using var model = bc ? DenseNet.BC(depth, growth) : DenseNet.Cifar(depth, growth);
        long count = model.ParameterCount();
        Assert.That(count, Is.EqualTo(exact));
        Assert.That(Math.Round(count / 1e6, 1), Is.EqualTo(paperMillions));
    }

    [Test]
    public void DenseNet121StateDictNamesAndShapesMatchTorchvision()
    {
        using var model = DenseNet.DenseNet121();
        var sd = model.StateDict();
        // Spot check of torchvision's keys and shapes (torchvision/models/densenet.py).
        var expected = new Dictionary<string, int[]>
        {
            ["features.conv0.weight"] = [64, 3, 7, 7],
            ["features.norm0.weight"] = [64],
            ["features.norm0.running_var"] = [64],
            ["features.denseblock1.denselayer1.norm1.weight"] = [64],
            ["features.denseblock1.denselayer1.conv1.weight"] = [128, 64, 1, 1],
            ["features.denseblock1.denselayer1.norm2.bias"] = [128],
            ["features.denseblock1.denselayer1.conv2.weight"] = [32, 128, 3, 3],
            ["features.denseblock1.denselayer6.conv1.weight"] = [128, 224, 1, 1],
            ["features.transition1.norm.running_mean"] = [256],
            ["features.transition1.conv.weight"] = [128, 256, 1, 1],
            ["features.transition3.conv.weight"] = [512, 1024, 1, 1],
            ["features.denseblock4.denselayer16.conv2.weight"] = [32, 128, 3, 3],
            ["features.norm5.weight"] = [1024],
            ["classifier.weight"] = [1000, 1024],
            ["classifier.bias"] = [1000],
        };
        foreach (var (key, shape) in expected)
        {
            Assert.That(sd.ContainsKey(key), Is.True, $"missing {key}");
            Assert.That(sd[key].Shape, Is.EqualTo(shape), key);
        }
        Assert.That(sd.Keys.Any(k => k.Contains("bias") && k.Contains("conv")), Is.False, "torchvision's convolutions have no bias");
        // 120 dense layers' worth of BN/conv tensors: every key starts with features. or classifier.
        Assert.That(sd.Keys.All(k => k.StartsWith("features.") || k.StartsWith("classifier.")), Is.True);
    }

    [Test]
    public void SmallConfigsMapBatchesToLogits()
    {
        using var cifar = DenseNet.Cifar(40, 12, generator: new Generator(0));
        CheckForward(cifar, 3, 32, 10);
        using var bc = DenseNet.BC(100, 12, numClasses: 100, inChannels: 1, generator: new Generator(0));
        CheckForward(bc, 1, 28, 100);
    }

    [Test]
    public void BackwardGivesFiniteGradientsToEveryParameter()
    {
        // A shrunken BC with dropout, so both composites, the transitions and dropout are on the backward path.
        using var model = new DenseNet([2, 2, 2], 4, 8, bottleneck: true, compression: 0.5f, imageNetStem: false,
                                       numClasses: 10, inChannels: 1, dropRate: 0.2f, generator: new Generator(0));
        BackwardGivesFiniteGrads(model, 1, 28, 10);
        using var cifar = DenseNet.Cifar(10, 6, inChannels: 3, generator: new Generator(1));
        BackwardGivesFiniteGrads(cifar, 3, 32, 10);
    }

    [Test]
    public void BadDepthsNameTheRule()
    {
        Assert.That(() => DenseNet.Cifar(41), Throws.ArgumentException.With.Message.Contains("multiple of 3"));
        Assert.That(() => DenseNet.BC(40 + 3), Throws.ArgumentException.With.Message.Contains("multiple of 6"));
    }
}
