using Tensorlet.IO;
using Tensorlet.Models;
using Tensorlet.Tests.Cli;

namespace Tensorlet.Tests.Export;

/// <summary>
/// <c>tensorlet export</c> on a checkpoint from a one-epoch <c>tensorlet train</c> of the cnn: the safetensors file holds
/// the model's state dict alone (PyTorch names, no optimizer entries) and loads strictly into a fresh model that then
/// gives exactly the checkpoint's outputs; the ONNX file runs in ONNX Runtime with the same outputs within the tolerance.
/// </summary>
[TestFixture]
public sealed class ExportCommandTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);
    private string _dir = "", _checkpoint = "";

    [OneTimeSetUp]
    public void TrainOneEpoch()
    {
        _dir = Directory.CreateTempSubdirectory("tensorlet-export-cli-").FullName;
        var (code, output) = CliProcess.Run(Limit, "train", "--model", "cnn", "--data", "sample", "--epochs", "1", "--batch", "100",
                                            "--seed", "1", "--threads", "2", "--out", Path.Combine(_dir, "run"));
        Assert.That(code, Is.EqualTo(0), output);
        _checkpoint = Path.Combine(_dir, "run", "checkpoint.safetensors");
        Assert.That(File.Exists(_checkpoint), Is.True, output);
    }

    [OneTimeTearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    private static Tensorlet.NN.Module FreshCnn(ulong seed) => ModelZoo.Get("cnn").Create(1, 10, new Generator(seed));

    private static Tensor Batch() => Tensor.Randn([3, 1, 28, 28], new Generator(21));

    [Test]
    public void SafeTensorsExportHoldsTheStateDictAndReloadsExactly()
    {
        string weights = Path.Combine(_dir, "weights.safetensors");
        var (code, output) = CliProcess.Run(Limit, "export", "--checkpoint", _checkpoint, "--format", "safetensors", "--out", weights);
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("weights.safetensors"));

        using var trained = FreshCnn(0);
        Checkpoint.Load(_checkpoint, trained);
        Assert.That(SafeTensors.ReadHeader(weights).Tensors.Select(t => t.Name), Is.EquivalentTo(trained.StateDict().Keys));

        using var reloaded = FreshCnn(99);
        var keys = reloaded.LoadSafeTensors(weights);
        Assert.That(keys.IsEmpty, Is.True);
        using var x = Batch();
        Assert.That(OnnxCheck.Reference(reloaded, x), Is.EqualTo(OnnxCheck.Reference(trained, x)));
    }

    [Test]
    public void OnnxExportRunsInOnnxRuntime()
    {
        string onnx = Path.Combine(_dir, "model.onnx");
        var (code, output) = CliProcess.Run(Limit, "export", "--checkpoint", _checkpoint, "--format", "onnx", "--out", onnx);
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("opset 17").And.Contain("[N, 1, 28, 28]"));

        using var trained = FreshCnn(0);
        Checkpoint.Load(_checkpoint, trained);
        using var x = Batch();
        double error = OnnxCheck.RelativeError(OnnxCheck.Run(onnx, x), OnnxCheck.Reference(trained, x));
        TestContext.Out.WriteLine($"cnn checkpoint via tensorlet export: max relative error {error:E2}");
        Assert.That(error, Is.LessThan(OnnxCheck.Tolerance));
    }

    [Test]
    public void UnknownFormatIsRefused()
    {
        string target = Path.Combine(_dir, "x.bin");
        CliAssert.OneLineError(CliProcess.Run(Limit, "export", "--checkpoint", _checkpoint, "--format", "pickle", "--out", target),
                               "unknown format 'pickle'", "safetensors");
        Assert.That(File.Exists(target), Is.False);
    }

    [Test]
    public void MissingCheckpointIsNamed()
    {
        string missing = Path.Combine(_dir, "nothing.safetensors");
        CliAssert.OneLineError(CliProcess.Run(Limit, "export", "--checkpoint", missing, "--out", Path.Combine(_dir, "y.onnx"), "--format", "onnx"),
                               missing);
    }

    [Test]
    public void PlainWeightsFileIsNotACheckpoint()
    {
        string weights = Path.Combine(_dir, "plain.safetensors");
        using (var model = FreshCnn(3)) model.SaveSafeTensors(weights);
        CliAssert.OneLineError(CliProcess.Run(Limit, "export", "--checkpoint", weights, "--out", Path.Combine(_dir, "z.onnx"), "--format", "onnx"),
                               weights, "not a Tensorlet checkpoint");
    }
}
