using Tensorlet.Models;
using Tensorlet.NN;

namespace Tensorlet.Tests.Models;

/// <summary>VGG, Network in Network and the CReLU nets: parameter counts against their sources, state-dict names, shapes, gradients.</summary>
public class VggNinCreluTests
{
    /// <summary>
    /// torchvision's published counts (torchvision.models.VGG11_Weights ... VGG19_BN_Weights .meta["num_params"],
    /// also printed by <c>sum(p.numel() for p in vgg16().parameters())</c>). Counting needs no forward pass; VGG-16 (D)
    /// is checked together with its state-dict names below, so that each 138 M-parameter model is built only once.
    /// </summary>
    [TestCase('A', false, 132_863_336)] // vgg11
    [TestCase('B', false, 133_047_848)] // vgg13
    [TestCase('E', false, 143_667_240)] // vgg19
    [TestCase('A', true, 132_868_840)]  // vgg11_bn
    [TestCase('B', true, 133_053_736)]  // vgg13_bn
    [TestCase('E', true, 143_678_248)]  // vgg19_bn
    public void ImageNetVggMatchesTorchvisionParameterCount(char config, bool batchNorm, long expected)
    {
        using var onMeta = Device.Meta.AsDefault(); // counting needs shapes only, not 130+ million initialised floats
        using var model = new Vgg(config, batchNorm, cifar: false, generator: new Generator(0));
        Assert.That(model.ParameterCount(), Is.EqualTo(expected));
    }

    [Test]
    public void ImageNetVgg16MatchesTorchvisionCountAndNames()
    {
        using var onMeta = Device.Meta.AsDefault();
        HashSet<string> names;
        using (var plain = Vgg.Vgg16()) // disposed before vgg16_bn is built: one ~550 MB model at a time
        {
            Assert.That(plain.ParameterCount(), Is.EqualTo(138_357_544)); // torchvision vgg16
            names = plain.StateDict().Keys.ToHashSet();
        }
        // vgg16: 13 convs (indices 0, 2, 5, ..., 28) and 5 pools in features; Linear layers at classifier.0, .3, .6.
        Assert.That(names, Does.Contain("features.0.weight").And.Contain("features.28.bias")
                                .And.Contain("classifier.0.weight").And.Contain("classifier.3.bias").And.Contain("classifier.6.bias"));
        Assert.That(names.Count, Is.EqualTo(2 * 13 + 2 * 3));

        using var bn = Vgg.Vgg16(batchNorm: true);
        Assert.That(bn.ParameterCount(), Is.EqualTo(138_365_992)); // torchvision vgg16_bn
        var bnNames = bn.StateDict().Keys.ToHashSet();
        // vgg16_bn: conv, bn, relu per layer, so the last conv is features.40 and its batch norm features.41.
        Assert.That(bnNames, Does.Contain("features.40.weight").And.Contain("features.41.running_var")
                                  .And.Contain("features.1.num_batches_tracked").And.Contain("classifier.6.weight"));
    }

    /// <summary>
    /// pytorch-cifar's VGG16 (kuangliu/pytorch-cifar models/vgg.py: conv+bias, BN, ReLU; Linear(512, 10)) has 14,728,266
    /// parameters: torchvision vgg16's 14,714,688 feature parameters + 8,448 in batch norm + 5,130 in the head.
    /// </summary>
    [Test]
    public void CifarVgg16MatchesPytorchCifarCount()
    {
        using var model = Vgg.Vgg16Cifar();
        Assert.That(model.ParameterCount(), Is.EqualTo(14_728_266));
    }

    /// <summary>
    /// The narrow VGG-11 (widths / 4: 16, 32, 64, 64, 128 ×4, BN, conv bias, Linear(128, 10)) by hand: convs
    /// 448 + 4,640 + 18,496 + 36,928 + 73,856 + 3 · 147,584 = 577,120; BN 2 · 688 = 1,376; head 1,290.
    /// </summary>
    [Test]
    public void NarrowVgg11CountsByHand()
    {
        using var model = Vgg.Vgg11CifarNarrow(4, generator: new Generator(0));
        Assert.That(model.ParameterCount(), Is.EqualTo(577_120 + 1_376 + 1_290));
        Assert.That(model.WidthDivisor, Is.EqualTo(4));
        Assert.That(() => Vgg.Vgg11CifarNarrow(3), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    /// <summary>
    /// NiN at a quarter width (48-40-24 / 48-48-48 / 48-48-10) by hand: block 1 = 3·48·25 + 48 + 48·40 + 40 + 40·24 + 24
    /// = 6,592; block 2 = 24·48·25 + 48 + 2 · (48·48 + 48) = 33,552; block 3 = 48·48·9 + 48 + 48·48 + 48 + 48·10 + 10 = 23,626.
    /// </summary>
    [Test]
    public void NarrowNinCountsByHandAndStartsWithZeroBiases()
    {
        using var model = NetworkInNetwork.Cifar10Narrow(4, generator: new Generator(0));
        Assert.That(model.ParameterCount(), Is.EqualTo(6_592 + 33_552 + 23_626));
        foreach (var (name, p) in model.NamedParameters())
            if (name.EndsWith("bias")) Assert.That(p.ToArray(), Is.All.EqualTo(0f), name);
    }

    /// <summary>
    /// CReLU, half filters, widths / 4 (12, 12, 12 | 24, 24, 24 | 24, 24 filters, doubled by CReLU), BN: convs
    /// 3·12·9 + 2 · 24·12·9 + 24·24·9 + 3 · 48·24·9 + 48·24 = 42,948; BN 2 · (3·12 + 5·24) = 312; conv9 48·10 + 10 = 490.
    /// </summary>
    [Test]
    public void NarrowCReluHalfCountsByHand()
    {
        using var model = new CReluNet(CReluVariant.HalfFilters, widthDivisor: 4, generator: new Generator(0));
        Assert.That(model.ParameterCount(), Is.EqualTo(42_948 + 312 + 490));
    }

    /// <summary>
    /// Network in Network, CIFAR-10, by hand (weights + biases per conv):
    /// block1 3·25·192+192 = 14,592; 192·160+160 = 30,880; 160·96+96 = 15,456;
    /// block2 96·25·192+192 = 460,992; 192·192+192 = 37,056 (×2);
    /// block3 192·9·192+192 = 331,968; 37,056; 192·10+10 = 1,930 — in all 966,986 (≈ 0.97 M, as the paper's model).
    /// </summary>
    [Test]
    public void NinCifar10ParameterCount()
    {
        using var model = NetworkInNetwork.Cifar10();
        Assert.That(model.ParameterCount(), Is.EqualTo(966_986));
        Assert.That(model.StateDict().Keys, Does.Contain("block1.0.weight").And.Contain("block3.4.bias"));
    }

    /// <summary>
    /// CReLU nets, 3 channels, 10 classes, batch norm, CReLU in conv1..conv8, by hand:
    /// baseline weights 2,592 + 2·82,944 + 165,888 + 3·331,776 + 36,864 + 1,930 = 1,368,490, + batch norm 2·1,248 = 1,370,986
    /// (the paper quotes 1.4 M); same filters: every layer after a CReLU sees twice the channels, 2,736,874 (2.0×);
    /// half filters: every conv has half the filters and the baseline's inputs, 686,458 (the paper's 0.7 M).
    /// </summary>
    [Test]
    public void CReluNetParameterCounts()
    {
        using var baseline = CReluNet.Baseline();
        using var same = CReluNet.SameFilters();
        using var half = CReluNet.HalfFilters();
        Assert.That(baseline.ParameterCount(), Is.EqualTo(1_370_986));
        Assert.That(same.ParameterCount(), Is.EqualTo(2_736_874));
        Assert.That(half.ParameterCount(), Is.EqualTo(686_458));
        using var plain = CReluNet.Baseline(batchNorm: false);
        Assert.That(plain.ParameterCount(), Is.EqualTo(1_369_738)); // with conv biases, without batch norm
    }

    [Test]
    public void CReluInLowerLayersChangesTheFollowingLayerAsDocumented()
    {
        static long Weight(Module m, string name) => m.StateDict()[name].Count;
        using var baseline = CReluNet.Baseline();
        using var same = CReluNet.SameFilters(creluLayers: 4);
        using var half = CReluNet.HalfFilters(creluLayers: 4);
        // conv5 follows the last CReLU layer: same filters doubles its inputs, half filters restores the baseline's.
        Assert.That(Weight(same, "conv5.0.weight"), Is.EqualTo(2 * Weight(baseline, "conv5.0.weight")));
        Assert.That(Weight(half, "conv5.0.weight"), Is.EqualTo(Weight(baseline, "conv5.0.weight")));
        // conv2 is itself a CReLU layer: same filters sees 2×96 inputs; half filters keeps the inputs and halves the filters.
        Assert.That(Weight(same, "conv2.0.weight"), Is.EqualTo(2 * Weight(baseline, "conv2.0.weight")));
        Assert.That(Weight(half, "conv2.0.weight"), Is.EqualTo(Weight(baseline, "conv2.0.weight") / 2));
        // Past conv5 the three nets are identical.
        Assert.That(Weight(same, "conv6.0.weight"), Is.EqualTo(Weight(baseline, "conv6.0.weight")));
        Assert.That(same.CReluLayers, Is.EqualTo(4));
        Assert.That(baseline.CReluLayers, Is.EqualTo(0));
    }

    /// <summary>The CIFAR networks of this file, by name, for 10 classes and the given input channels.</summary>
    private static Module CifarModel(string name, int channels) => name switch
    {
        "vgg11" => Vgg.Vgg11Cifar(numClasses: 10, inChannels: channels, generator: new Generator(1)),
        "nin" => NetworkInNetwork.Cifar10(numClasses: 10, inChannels: channels, generator: new Generator(2)),
        "crelu-baseline" => new CReluNet(CReluVariant.Baseline, numClasses: 10, inChannels: channels, generator: new Generator(3)),
        "crelu-half" => new CReluNet(CReluVariant.HalfFilters, numClasses: 10, inChannels: channels, generator: new Generator(3)),
        "crelu-same" => new CReluNet(CReluVariant.SameFilters, numClasses: 10, inChannels: channels, generator: new Generator(3)),
        _ => throw new ArgumentException($"no CIFAR model '{name}' in this test", nameof(name)),
    };

    [TestCase("vgg11", 3, 32)]
    [TestCase("vgg11", 1, 28)] // floor-mode pools would reach 0×0; ceil mode ends at 1×1
    [TestCase("nin", 3, 32)]
    [TestCase("nin", 1, 28)]
    [TestCase("crelu-baseline", 3, 32)]
    [TestCase("crelu-half", 3, 32)]
    [TestCase("crelu-same", 1, 28)]
    public void CifarModelForwardAndBackward(string name, int channels, int size)
    {
        using var model = CifarModel(name, channels);
        AssertForwardBackward(model, channels, size, 10);
    }

    /// <summary>Batch of 2: logits [2, classes], then one backward gives every parameter a finite gradient.</summary>
    private static void AssertForwardBackward(Module model, int channels, int size, int classes)
    {
        var x = Tensor.Randn([2, channels, size, size], new Generator(7));
        var logits = model.Call(x);
        Assert.That(logits.Shape, Is.EqualTo(new[] { 2, classes }));
        var loss = F.CrossEntropy(logits, Tensor.FromArray([1f, 3f]));
        loss.Backward();
        foreach (var (name, p) in model.NamedParameters())
        {
            Assert.That(p.Grad, Is.Not.Null, name);
            Assert.That(p.Grad!.ToArray().All(float.IsFinite), Is.True, name);
        }
    }
}
