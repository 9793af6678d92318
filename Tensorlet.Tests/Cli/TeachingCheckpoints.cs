using Tensorlet.IO;
using Tensorlet.Models;

namespace Tensorlet.Tests.Cli;

/// <summary>
/// Small checkpoints for the picture commands' tests, made once per fixture: an mlp and a cnn trained for one epoch by
/// <c>tensorlet train</c> on the embedded sample (batch 100, 60 steps), and an untrained small CliqueNet saved with the
/// same metadata <c>train</c> writes — a CliqueNet epoch takes minutes on a busy machine, and the stage picture tests
/// what is drawn, not how well it was trained.
/// </summary>
internal sealed class TeachingCheckpoints : IDisposable
{
    public const string CliqueModel = "cliquenet-t6-k16-w32-nodrop";
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);

    public TeachingCheckpoints()
    {
        Root = Directory.CreateTempSubdirectory("tensorlet-teaching-").FullName;
        foreach (var model in new[] { "mlp", "cnn" })
        {
            var (code, output) = CliProcess.Run(Limit, "train", "--model", model, "--data", "sample", "--epochs", "1", "--batch", "100",
                                                "--seed", "1", "--threads", "2", "--out", RunDirectory(model));
            Assert.That(code, Is.EqualTo(0), output);
        }
        using var clique = ModelZoo.Get(CliqueModel).Create(1, 10, new Generator(1));
        var state = new TrainingState { Epoch = 0 };
        foreach (var (key, value) in new Dictionary<string, string> { ["model"] = CliqueModel, ["channels"] = "1", ["height"] = "28", ["width"] = "28", ["classes"] = "10" })
            state.Metadata[key] = value;
        Directory.CreateDirectory(RunDirectory(CliqueModel));
        Tensorlet.IO.Checkpoint.Save(Checkpoint(CliqueModel), clique, state: state);
    }

    public string Root { get; }

    public string RunDirectory(string model) => Path.Combine(Root, model);

    public string Checkpoint(string model) => Path.Combine(RunDirectory(model), "checkpoint.safetensors");

    /// <summary>A fresh path under the fixture's directory for a test's output.</summary>
    public string Output(string name) => Path.Combine(Root, name);

    public void Dispose()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }

    /// <summary>Asserts that <paramref name="path"/> is a PNG with some content.</summary>
    public static void AssertPng(string path)
    {
        Assert.That(File.Exists(path), path);
        var bytes = File.ReadAllBytes(path);
        Assert.That(bytes.Take(8), Is.EqualTo(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }), path);
        Assert.That(bytes, Has.Length.GreaterThan(2000), path);
    }
}
