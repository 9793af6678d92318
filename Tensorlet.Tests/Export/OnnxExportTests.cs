using Tensorlet.Models;
using Tensorlet.NN;

namespace Tensorlet.Tests.Export;

/// <summary>
/// Every architecture exported to ONNX and run in ONNX Runtime must give Tensorlet's eval-mode logits within
/// <see cref="OnnxCheck.Tolerance"/> (norm in <see cref="OnnxCheck"/>): each family's small configuration, a few variants
/// that exercise other layers (projection shortcuts, dropout, attention, bottleneck, compression, ceil-mode pools on
/// 28×28), and ResNet-20, DenseNet-BC-100 (k = 12) and CliqueNet T12-K36 at paper size. Batch norms get random
/// statistics first, so a wrong eps or a mix-up of running statistics shows.
/// </summary>
[TestFixture]
public sealed class OnnxExportTests : TempDirectoryFixture
{
    private static readonly string[] SmallConfigurations =
    [
        "vgg11-cifar-w16", "nin-cifar10-w48-nodrop", "resnet8", "resnext11-4x8d-w16", "densenet-bc16-k12", "se-resnet8",
        "crelu-half-w24-nodrop", "cliquenet-t6-k16-w32-nodrop", "mlp", "cnn",
    ];

    private static readonly string[] PaperConfigurations = ["resnet20", "densenet-bc100-k12", "cliquenet-t12-k36"];

    [TestCaseSource(nameof(SmallConfigurations))]
    public void SmallConfigurationMatchesOnnxRuntime(string name) => CheckZooModel(name, batch: 2);

    [TestCaseSource(nameof(PaperConfigurations))]
    public void PaperSizeModelMatchesOnnxRuntime(string name) => CheckZooModel(name, batch: 1);

    private void CheckZooModel(string name, int batch)
    {
        var entry = ModelZoo.Get(name);
        int[] shape = [batch, .. entry.NativeInput];
        using var model = entry.Create(entry.NativeInput[0], 10, new Generator(3));
        Check(name, model, shape);
    }

    public static IEnumerable<TestCaseData> Variants()
    {
        yield return Case("resnet8-projection", () => ResNet.Cifar(8, shortcut: Shortcut.B, generator: new Generator(4)), [2, 3, 32, 32]);
        yield return Case("se-resnext11-projection", () => ResNeXt.Cifar(11, 4, 8, stemWidth: 16, generator: new Generator(4), seReduction: 4),
                          [2, 3, 32, 32]);
        yield return Case("nin-w48-dropout-28x28", () => NetworkInNetwork.Cifar10Narrow(4, 10, 1, new Generator(4)), [2, 1, 28, 28]);
        yield return Case("crelu-same-w24-dropout", () => new CReluNet(CReluVariant.SameFilters, widthDivisor: 4, generator: new Generator(4)),
                          [2, 3, 32, 32]);
        yield return Case("cliquenet-t6-attention-bottleneck-compression",
                          () => CliqueNet.Cifar(6, 16, attention: true, bottleneck: true, compression: true, generator: new Generator(4),
                                                stemChannels: 32), [2, 3, 32, 32]);
        yield return Case("densenet40-w-dropout-28x28", () => DenseNet.Cifar(10, 8, inChannels: 1, dropRate: 0.2f, generator: new Generator(4)),
                          [2, 1, 28, 28]);
        yield return Case("vgg11-narrow-28x28", () => Vgg.Vgg11CifarNarrow(8, 10, 1, new Generator(4)), [2, 1, 28, 28]);
    }

    private static TestCaseData Case(string name, Func<Module> create, int[] shape) => new TestCaseData(name, create, shape).SetArgDisplayNames(name);

    [TestCaseSource(nameof(Variants))]
    public void VariantMatchesOnnxRuntime(string name, Func<Module> create, int[] shape)
    {
        using var model = create();
        Check(name, model, shape);
    }

    [Test]
    public void BatchDimensionIsSymbolic()
    {
        using var model = ModelZoo.Get("resnet8").Create(3, 10, new Generator(5));
        OnnxCheck.RandomizeBatchNorms(model, 5);
        string path = Path.Combine(Dir.Path, "batch.onnx");
        model.ExportOnnx(path, 1, 3, 32, 32);
        using var input = Tensor.Randn([3, 3, 32, 32], new Generator(6));
        var onnx = OnnxCheck.Run(path, input);
        Assert.That(onnx, Has.Length.EqualTo(30));
        Assert.That(OnnxCheck.RelativeError(onnx, OnnxCheck.Reference(model, input)), Is.LessThan(OnnxCheck.Tolerance));
    }

    [Test]
    public void AdaptivePoolingToEqualBinsExports()
    {
        using var model = new Sequential(new Conv2d(3, 4, 3, padding: 1, generator: new Generator(8)), new AdaptiveAvgPool2d((2, 4)),
                                         new Flatten(), new Linear(32, 5, generator: new Generator(9)));
        Check("adaptive-pool-2x4", model, [2, 3, 8, 16]);
    }

    [Test]
    public void SiluExportsAsSigmoidTimesInput()
    {
        using var model = new Sequential(new Conv2d(3, 4, 3, padding: 1, generator: new Generator(10)), new SiLU(),
                                         new AdaptiveAvgPool2d((1, 1)), new Flatten(), new Linear(4, 3, generator: new Generator(11)));
        Check("silu", model, [2, 3, 8, 8]);
    }

    [Test]
    public void ExportLeavesTheModelInItsMode()
    {
        using var model = ModelZoo.Get("resnet8").Create(3, 10, new Generator(5));
        model.ExportOnnx(Path.Combine(Dir.Path, "mode.onnx"), 1, 3, 32, 32);
        Assert.That(model.IsTraining, Is.True);
    }

    [Test]
    public void InitializersCarryStateDictNames()
    {
        using var model = ModelZoo.Get("resnet8").Create(3, 10, new Generator(5));
        var proto = Tensorlet.Onnx.OnnxExporter.Build(model, [1, 3, 32, 32]);
        var names = proto.Graph.Initializer.Select(t => t.Name).ToHashSet();
        var expected = model.StateDict().Keys.Where(k => !k.EndsWith("num_batches_tracked", StringComparison.Ordinal));
        Assert.That(names, Is.SupersetOf(expected));
        Assert.That(proto.OpsetImport.Single().Version, Is.EqualTo(Tensorlet.Onnx.OnnxExporter.Opset));
    }

    private void Check(string name, Module model, int[] shape)
    {
        OnnxCheck.RandomizeBatchNorms(model, 11);
        double error = OnnxCheck.ExportAndCompare(model, shape, Path.Combine(Dir.Path, name + ".onnx"));
        TestContext.Out.WriteLine($"{name} {string.Join("x", shape)}: max relative error {error:E2}");
        Assert.That(error, Is.LessThan(OnnxCheck.Tolerance), name);
    }
}
