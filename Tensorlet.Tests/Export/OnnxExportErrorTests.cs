using Tensorlet.NN;

namespace Tensorlet.Tests.Export;

/// <summary>What cannot be exported is refused with a <see cref="NotSupportedException"/> naming the module's path and type, and no file is written.</summary>
[TestFixture]
public sealed class OnnxExportErrorTests : TempDirectoryFixture
{
    /// <summary>A user's module with no ONNX form.</summary>
    private sealed class Doubler : Module
    {
        public override Tensor Forward(Tensor input) => input.Mul(2f);
    }

    private void AssertRefused(Module model, int[] shape, params string[] expected)
    {
        string path = Path.Combine(Dir.Path, Guid.NewGuid().ToString("N") + ".onnx");
        var ex = Assert.Throws<NotSupportedException>(() => model.ExportOnnx(path, shape));
        foreach (var e in expected) Assert.That(ex!.Message, Does.Contain(e));
        Assert.That(File.Exists(path), Is.False, "a failed export left a file");
    }

    [Test]
    public void CustomModuleIsNamedByPathAndType()
    {
        using var model = new Sequential(new Conv2d(1, 2, 3), new Sequential(new ReLU(), new Doubler()));
        AssertRefused(model, [1, 1, 8, 8], "'1.1'", "Doubler", "IOnnxExportable");
    }

    [Test]
    public void CustomModelItselfIsNamed()
    {
        using var model = new Doubler();
        AssertRefused(model, [1, 1, 4, 4], "(model)", "Doubler");
    }

    [Test]
    public void BatchNormWithoutRunningStatisticsIsRefused()
    {
        using var model = new Sequential(new Conv2d(1, 2, 3), new BatchNorm2d(2, trackRunningStats: false));
        AssertRefused(model, [2, 1, 8, 8], "'1'", "BatchNorm2d", "track_running_stats");
    }

    [Test]
    public void AdaptivePoolingWithUnevenBinsIsRefused()
    {
        using var model = new Sequential(new AdaptiveAvgPool2d(3));
        AssertRefused(model, [1, 1, 8, 8], "'0'", "AdaptiveAvgPool2d", "8×8");
    }

    [Test]
    public void PartialFlattenIsRefused()
    {
        using var model = new Sequential(new Flatten(2));
        AssertRefused(model, [1, 2, 4, 4], "'0'", "Flatten", "start_dim=2");
    }

    [Test]
    public void InputShapeThatDoesNotFitTheModelNamesTheShape()
    {
        using var model = new Sequential(new Conv2d(3, 2, 3));
        string path = Path.Combine(Dir.Path, "shape.onnx");
        var ex = Assert.Throws<ArgumentException>(() => model.ExportOnnx(path, 1, 1, 8, 8));
        Assert.That(ex!.Message, Does.Contain("[1, 1, 8, 8]").Or.Contain("1, 1, 8, 8"));
        Assert.That(File.Exists(path), Is.False);
    }

    [Test]
    public void InputShapeWithoutBatchIsRefused()
    {
        using var model = new Sequential(new ReLU());
        var ex = Assert.Throws<ArgumentException>(() => model.ExportOnnx(Path.Combine(Dir.Path, "nobatch.onnx"), 0, 3));
        Assert.That(ex!.Message, Does.Contain("[0, 3]"));
    }
}
