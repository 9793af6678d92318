using Tensorlet.Models;
using Tensorlet.NN;

namespace Tensorlet.Tests.Models;

/// <summary>
/// ResNet, ResNeXt and SENet: parameter counts against published references (source beside each number), output
/// shapes at CIFAR and MNIST sizes, gradients, and torchvision's state-dict names. Big ImageNet models are only
/// built and counted, never run, so the file stays fast on a small machine.
/// </summary>
public class ResNetFamilyTests
{
    private static Generator Gen() => new(0);

    // ---- parameter counts ----

    // torchvision.models (the counts printed in its model docs / sum(p.numel()) of resnet18 ... resnext101_32x8d).
    private static IEnumerable<TestCaseData> ImageNetCounts()
    {
        yield return new TestCaseData((Func<ResNet>)(() => ResNet.ResNet18(generator: Gen())), 11_689_512L).SetName("resnet18");
        yield return new TestCaseData((Func<ResNet>)(() => ResNet.ResNet34(generator: Gen())), 21_797_672L).SetName("resnet34");
        yield return new TestCaseData((Func<ResNet>)(() => ResNet.ResNet50(generator: Gen())), 25_557_032L).SetName("resnet50");
        yield return new TestCaseData((Func<ResNet>)(() => ResNet.ResNet101(generator: Gen())), 44_549_160L).SetName("resnet101");
        yield return new TestCaseData((Func<ResNet>)(() => ResNet.ResNet152(generator: Gen())), 60_192_808L).SetName("resnet152");
        yield return new TestCaseData((Func<ResNet>)(() => ResNeXt.ResNeXt50_32x4d(generator: Gen())), 25_028_904L).SetName("resnext50_32x4d");
        yield return new TestCaseData((Func<ResNet>)(() => ResNeXt.ResNeXt101_32x8d(generator: Gen())), 88_791_336L).SetName("resnext101_32x8d");
        // SE adds, per bottleneck with C = 4·planes output channels and r = 16, fc1 C·C/16 + C/16 and fc2 C/16·C + C
        // (biases, as in the authors' Caffe prototxt and Cadene's pretrainedmodels se_resnet50): 3·8,464 + 4·33,312
        // + 6·132,160 + 3·526,464 = 2,530,992. resnet50 + that = 28,088,024, the reference SE-ResNet-50 count;
        // resnext50_32x4d + that = 27,559,896, the reference SE-ResNeXt-50 (32×4d) count.
        yield return new TestCaseData((Func<ResNet>)(() => SENet.SEResNet50(generator: Gen())), 28_088_024L).SetName("se_resnet50");
        yield return new TestCaseData((Func<ResNet>)(() => SENet.SEResNeXt50_32x4d(generator: Gen())), 27_559_896L).SetName("se_resnext50_32x4d");
    }

    [TestCaseSource(nameof(ImageNetCounts))]
    public void ImageNetParameterCountMatchesReference(Func<ResNet> build, long expected)
    {
        using var onMeta = Device.Meta.AsDefault(); // counting needs shapes only, not 100+ million initialised floats
        using var model = build();
        Assert.That(model.ParameterCount(), Is.EqualTo(expected));
    }

    // CIFAR, option A (parameter-free shortcuts). Reference: akamaster/pytorch_resnet_cifar10 README (resnet20 0.27M
    // ... resnet110 1.7M; its exact counts 269,722 / 464,154 / 658,586 / 853,018 / 1,727,962). Our arithmetic for
    // n blocks per stage: stem 3·16·9 + 32 = 464; stage 1: n·(2·16·16·9 + 64) = 4,672n; stage 2: 13,952 (16→32 block)
    // + (n−1)·18,560; stage 3: 55,552 + (n−1)·73,984; fc 64·10 + 10 = 650. n = 3 gives 269,722, and each extra
    // block per stage adds 4,672 + 18,560 + 73,984 = 97,216 (ResNet-32 = 269,722 + 2·97,216 = 464,154, ...).
    [TestCase(20, 269_722L)]
    [TestCase(32, 464_154L)]
    [TestCase(44, 658_586L)]
    [TestCase(56, 853_018L)]
    [TestCase(110, 1_727_962L)]
    public void CifarResNetOptionAParameterCount(int depth, long expected)
    {
        using var model = ResNet.Cifar(depth, generator: Gen());
        Assert.That(model.ParameterCount(), Is.EqualTo(expected));
    }

    // Option B adds a 1×1 conv + BN at the two stage transitions: 16·32 + 64 and 32·64 + 128 = 2,752.
    [Test]
    public void CifarResNetOptionBAddsTwoProjections()
    {
        using var model = ResNet.Cifar20(shortcut: Shortcut.B, generator: Gen());
        Assert.That(model.ParameterCount(), Is.EqualTo(269_722L + 16 * 32 + 64 + 32 * 64 + 128));
    }

    // ResNeXt-29 (Xie et al. 2017, Table 7: 8×64d 34.4M, 16×64d 68.1M). Exact, by our arithmetic (10 classes):
    // 8×64d: stem 1,856 + stage 1 (width 512) 1,597,440 + stage 2 (1,024) 6,569,984 + stage 3 (2,048) 26,247,168
    //        + fc 10,250 = 34,426,698.
    // 16×64d: 1,856 + 3,176,448 + 13,004,800 + 51,961,856 + 10,250 = 68,155,210 (the paper truncates to 68.1M).
    [TestCase(8, 34_426_698L)]
    [TestCase(16, 68_155_210L)]
    public void CifarResNeXt29ParameterCount(int cardinality, long expected)
    {
        using var onMeta = Device.Meta.AsDefault();
        using var model = ResNeXt.Cifar29(cardinality, 64, generator: Gen());
        Assert.That(model.ParameterCount(), Is.EqualTo(expected));
    }

    // ResNeXt-11 (n = 1), 4×8d, stem 16 (planes 16/32/64, outputs 64/128/256; grouped widths 32/64/128), 3 in, 10 out:
    // stem 3·16·9 + BN 32 = 464; stage 1: 16·32 + 32·8·9 + 32·64 + shortcut 16·64 + BNs 2·(32+32+64+64) = 6,272;
    // stage 2: 64·64 + 64·16·9 + 64·128 + 64·128 + 2·(64+64+128+128) = 30,464;
    // stage 3: 128·128 + 128·32·9 + 128·256 + 128·256 + 2·(128+128+256+256) = 120,320; fc 256·10 + 10 = 2,570.
    [Test]
    public void CifarResNeXtAtAnyDepthAndStemWidth()
    {
        using (var small = ResNeXt.Cifar(11, 4, 8, stemWidth: 16, generator: Gen()))
            Assert.That(small.ParameterCount(), Is.EqualTo(464L + 6_272 + 30_464 + 120_320 + 2_570));
        using (Device.Meta.AsDefault())
        using (var paper = ResNeXt.Cifar(29, 8, 64, generator: Gen()))
            Assert.That(paper.ParameterCount(), Is.EqualTo(34_426_698L));
        Assert.That(() => ResNeXt.Cifar(12, 4, 8), Throws.ArgumentException.With.Message.Contains("9n + 2"));
    }

    // CIFAR SE-ResNet, r = 16, hidden = max(1, C/16): SE per block = 2·C·h + h + C, i.e. 49 (C = 16, h = 1),
    // 162 (C = 32, h = 2), 580 (C = 64, h = 4); n blocks per stage add 791n to the option A ResNet.
    // No published count to compare with: these are our own numbers.
    [TestCase(20, 269_722L + 3 * 791)]
    [TestCase(56, 853_018L + 9 * 791)]
    [TestCase(110, 1_727_962L + 18 * 791)]
    public void CifarSEResNetParameterCount(int depth, long expected)
    {
        using var model = SENet.Cifar(depth, generator: Gen());
        Assert.That(model.ParameterCount(), Is.EqualTo(expected));
    }

    // ---- forward shapes ----

    private static IEnumerable<TestCaseData> CifarFactories()
    {
        yield return new TestCaseData((Func<int, ResNet>)(c => ResNet.Cifar20(7, c, generator: Gen()))).SetName("Cifar20");
        yield return new TestCaseData((Func<int, ResNet>)(c => ResNet.Cifar32(7, c, generator: Gen()))).SetName("Cifar32");
        yield return new TestCaseData((Func<int, ResNet>)(c => ResNet.Cifar44(7, c, generator: Gen()))).SetName("Cifar44");
        yield return new TestCaseData((Func<int, ResNet>)(c => ResNet.Cifar56(7, c, generator: Gen()))).SetName("Cifar56");
        yield return new TestCaseData((Func<int, ResNet>)(c => ResNet.Cifar110(7, c, generator: Gen()))).SetName("Cifar110");
        yield return new TestCaseData((Func<int, ResNet>)(c => ResNet.Cifar20(7, c, Shortcut.B, Gen()))).SetName("Cifar20B");
        yield return new TestCaseData((Func<int, ResNet>)(c => SENet.Cifar20(7, c, generator: Gen()))).SetName("SECifar20");
        yield return new TestCaseData((Func<int, ResNet>)(c => SENet.Cifar56(7, c, generator: Gen()))).SetName("SECifar56");
        yield return new TestCaseData((Func<int, ResNet>)(c => SENet.Cifar110(7, c, generator: Gen()))).SetName("SECifar110");
        // A narrow ResNeXt-29 (2×4d) runs the same code as 8×64d and 16×64d at a hundredth of the cost.
        yield return new TestCaseData((Func<int, ResNet>)(c => ResNeXt.Cifar29(2, 4, 7, c, Gen()))).SetName("ResNeXt29_2x4d");
    }

    [TestCaseSource(nameof(CifarFactories))]
    public void CifarModelsClassifyCifarAndMnistSizedBatches(Func<int, ResNet> build)
    {
        foreach (var (channels, size) in new[] { (3, 32), (1, 28) })
        {
            using var model = build(channels);
            Assert.That(Logits(model, channels, size), Is.EqualTo(new[] { 2, 7 }), $"{channels}×{size}×{size}");
        }
    }

    // ResNeXt-29 8×64d is 5.4 GFLOPs per 32×32 image, so one batch at the CIFAR size only; 16×64d differs from it
    // only in cardinality and is built and counted above (CifarResNeXt29ParameterCount), not run.
    [Test]
    public void ResNeXt29_8x64dClassifiesACifarBatch()
    {
        using var model = ResNeXt.Cifar29_8x64d(7, 3, Gen());
        Assert.That(Logits(model, 3, 32), Is.EqualTo(new[] { 2, 7 }));
    }

    [Test]
    public void ResNet18RunsOnMnistSizedInput()
    {
        using var model = ResNet.ResNet18(10, 1, Gen());
        Assert.That(Logits(model, 1, 28), Is.EqualTo(new[] { 2, 10 }));
    }

    private static int[] Logits(Module model, int channels, int size)
    {
        using var scope = TensorScope.Begin();
        using (GradMode.NoGrad())
            return model.Call(Tensor.Randn([2, channels, size, size], new Generator(1))).Shape;
    }

    // ---- backward ----

    private static IEnumerable<TestCaseData> SmallImageNetModels()
    {
        yield return new TestCaseData((Func<ResNet>)(() => ResNet.ResNet18(10, generator: Gen()))).SetName("resnet18");
        yield return new TestCaseData((Func<ResNet>)(() => ResNeXt.ResNeXt50_32x4d(10, generator: Gen()))).SetName("resnext50_32x4d");
    }

    [TestCaseSource(nameof(SmallImageNetModels))]
    public void ImageNetModelsTrainOnSmallInput(Func<ResNet> build)
    {
        using var model = build();
        AssertFiniteGradients(model, 3, 64, 10);
    }

    [Test]
    public void ResNet20BackwardGivesFiniteGradientForEveryParameter()
    {
        using var model = ResNet.Cifar20(generator: Gen());
        AssertFiniteGradients(model, 3, 32, 10);
    }

    [Test]
    public void SEResNet20BackwardReachesTheGates()
    {
        using var model = SENet.Cifar20(generator: Gen());
        AssertFiniteGradients(model, 3, 32, 10);
    }

    private static void AssertFiniteGradients(ResNet model, int channels, int size, int classes)
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Randn([2, channels, size, size], new Generator(1));
        var target = Tensor.FromArray([1f, classes - 1f]);
        var logits = model.Call(x);
        Assert.That(logits.Shape, Is.EqualTo(new[] { 2, classes }));
        F.CrossEntropy(logits, target).Backward();
        foreach (var (name, p) in model.NamedParameters())
        {
            Assert.That(p.Grad, Is.Not.Null, $"{name} got no gradient");
            Assert.That(p.Grad!.Shape, Is.EqualTo(p.Shape), name);
            Assert.That(p.Grad.ToArray().All(float.IsFinite), Is.True, $"{name} has a non-finite gradient");
        }
        model.ZeroGrad();
    }

    // ---- layout ----

    [Test]
    public void ResNet18StateDictNamesAreTorchvisions()
    {
        using var model = ResNet.ResNet18(generator: Gen());
        var sd = model.StateDict();
        var names = model.NamedParameters().Select(p => p.Name).ToList();
        Assert.That(names.Take(3), Is.EqualTo(new[] { "conv1.weight", "bn1.weight", "bn1.bias" }));
        Assert.That(names[^2..], Is.EqualTo(new[] { "fc.weight", "fc.bias" }));
        foreach (var (name, shape) in new (string, int[])[]
                 {
                     ("conv1.weight", [64, 3, 7, 7]), ("bn1.running_mean", [64]), ("bn1.num_batches_tracked", []),
                     ("layer1.0.conv1.weight", [64, 64, 3, 3]), ("layer1.1.bn2.running_var", [64]),
                     ("layer2.0.downsample.0.weight", [128, 64, 1, 1]), ("layer2.0.downsample.1.weight", [128]),
                     ("layer4.1.conv2.weight", [512, 512, 3, 3]), ("fc.weight", [1000, 512]), ("fc.bias", [1000]),
                 })
        {
            Assert.That(sd.ContainsKey(name), Is.True, $"missing {name}");
            Assert.That(sd[name].Shape, Is.EqualTo(shape), name);
        }
        Assert.That(sd.Keys.Any(k => k.StartsWith("layer1.0.downsample")), Is.False, "layer1 of resnet18 keeps its shape");
        // torchvision resnet18 has 62 parameter tensors and 60 buffers (3 per batch norm; 20 batch norms).
        Assert.That(names, Has.Count.EqualTo(62));
        Assert.That(sd, Has.Count.EqualTo(122));
    }

    [Test]
    public void ResNeXtAndSEReuseTheBottleneck()
    {
        using var model = SENet.SEResNeXt50_32x4d(generator: Gen());
        var block = model.NamedModules().Single(m => m.Name == "layer1.0").Module;
        Assert.That(block, Is.TypeOf<Bottleneck>());
        Assert.That(((Bottleneck)block).Width, Is.EqualTo(128));   // ⌊64 · 4 / 64⌋ · 32
        var sd = model.StateDict();
        Assert.That(sd["layer1.0.conv2.weight"].Shape, Is.EqualTo(new[] { 128, 4, 3, 3 }));
        Assert.That(sd["layer1.0.se.fc1.weight"].Shape, Is.EqualTo(new[] { 16, 256, 1, 1 }));
        Assert.That(sd["layer4.2.se.fc2.bias"].Shape, Is.EqualTo(new[] { 2048 }));
    }

    [Test]
    public void OptionAShortcutSubsamplesAndZeroPadsChannels()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Randn([1, 2, 4, 4], new Generator(3));
        var y = new ZeroPadShortcut(2, 4, 2).Call(x);
        Assert.That(y.Shape, Is.EqualTo(new[] { 1, 4, 2, 2 }));
        var xs = x.ToArray();
        var ys = y.ToArray();
        // channels 0 and 3 are zeros; channel 1 is x's channel 0 at even rows/columns.
        Assert.That(ys[..4].Concat(ys[12..]).All(v => v == 0f), Is.True);
        Assert.That(ys[4..8], Is.EqualTo(new[] { xs[0], xs[2], xs[8], xs[10] }));
        Assert.That(ys[8..12], Is.EqualTo(new[] { xs[16], xs[18], xs[24], xs[26] }));
    }
}
