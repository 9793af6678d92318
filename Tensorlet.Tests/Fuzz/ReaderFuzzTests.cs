using Tensorlet.Data;
using Tensorlet.IO;
using Tensorlet.Models;
using Tensorlet.NN;
using Tensorlet.Optim;
using static Tensorlet.Tests.Data.DataTestFiles;

namespace Tensorlet.Tests.Fuzz;

/// <summary>
/// Seeded mutation tests of every file reader (see <see cref="FuzzHarness"/> for the promise each input is held
/// to). Each test prints "fuzz READER: N mutations, L loaded, R rejected, F faults"; the seed of input i is
/// 1000 × reader + i, so a fault reproduces from its index.
/// </summary>
[Category("Fuzz")]
public class ReaderFuzzTests : TempDirectoryFixture
{
    private void Fuzz(string reader, int salt, Func<Random, int, Mutant> mutate, Action<int, string> load)
    {
        var harness = new FuzzHarness(reader, Dir.Path);
        int count = FuzzHarness.Count;
        for (int i = 0; i < count; i++)
        {
            var rng = new Random(1000 * salt + i);
            var mutant = mutate(rng, i);
            harness.Try(i, mutant.Description, mutant.Bytes, path => load(i, path));
        }
        harness.Report(count);
    }

    private static readonly byte[] Images = IdxImages(5, 4, 3, seed: 11);
    private static readonly byte[] Labels = IdxLabels(3, 0, 1, 2, 1, 0, 4, 2);

    /// <summary>Even inputs are images, odd ones labels (every other one read without a class count).</summary>
    private static Mutant MutateIdx(Random rng, int i) =>
        i % 2 == 0 ? FormatMutations.Idx(rng, Images, 16, 0) : FormatMutations.Idx(rng, Labels, 8, 1);

    private static void LoadIdx(int i, string path)
    {
        if (i % 2 == 0)
        {
            var images = IdxReader.ReadImages(path);
            Assert.That(images.Count, Is.Positive);
            Assert.That(images.Pixels, Has.Length.EqualTo((long)images.Count * images.PixelsPerImage));
        }
        else
        {
            bool inferred = i % 4 == 1;
            byte[] labels = inferred ? IdxReader.ReadLabels(path) : IdxReader.ReadLabels(path, classCount: 10);
            Assert.That(labels, Is.Not.Empty);
            int classes = inferred ? labels.Max() + 1 : 10;
            Assert.That(labels, Has.All.LessThan(classes));
            if (inferred) Assert.That(Enumerable.Range(0, classes).All(c => labels.Contains((byte)c)), "every inferred class occurs");
        }
    }

    [Test]
    public void IdxRaw() => Fuzz("IDX raw", 1, MutateIdx, LoadIdx);

    [Test]
    public void IdxGzip() => Fuzz("IDX gzip", 2,
        (rng, i) => FormatMutations.Gzip(rng, i % 2 == 0 ? Images : Labels, (r, plain) => MutateIdx(r, i)),
        LoadIdx);

    private static byte[] CifarRecords(int count, int labelBytes, int seed) =>
    [
        .. Enumerable.Range(0, count).SelectMany(r =>
            Enumerable.Range(0, labelBytes).Select(b => (byte)((r + b) % 10)).Concat(Pattern(CifarReader.PixelBytes, seed + r))),
    ];

    private static readonly byte[] Cifar10File = CifarRecords(3, 1, seed: 5);
    private static readonly byte[] Cifar100File = CifarRecords(3, 2, seed: 6);

    /// <summary>Even inputs are CIFAR-10 batches, odd ones CIFAR-100 files.</summary>
    [Test]
    public void Cifar() => Fuzz("CIFAR", 3,
        (rng, i) => i % 2 == 0
            ? FormatMutations.Cifar(rng, Cifar10File, 3073, 1)
            : FormatMutations.Cifar(rng, Cifar100File, 3074, 2),
        (i, path) =>
        {
            var data = i % 2 == 0 ? Cifar10.Read("fuzz", [path]) : Cifar100.Read("fuzz", [path]);
            Assert.That(data.Count, Is.Positive);
            Assert.That(data.Images, Has.Length.EqualTo(data.Count * CifarReader.PixelBytes));
            Assert.That(data.Labels, Has.All.InRange(0, data.ClassNames.Count - 1));
        });

    private static byte[] SafeTensorsFile()
    {
        var tensors = new Dictionary<string, Tensor>
        {
            ["w"] = Tensor.FromArray([1f, -2f, 3.5f, 0f, 1e-3f, float.MaxValue], [2, 3]),
            ["b"] = Tensor.FromArray([0.5f], []),
            ["empty"] = Tensor.FromArray([], [0, 4]),
        };
        using var stream = new MemoryStream();
        SafeTensors.Write(stream, tensors, new Dictionary<string, string> { ["format"] = "pt", ["note"] = "héllo" });
        foreach (var t in tensors.Values) t.Dispose();
        return stream.ToArray();
    }

    [Test]
    public void SafeTensorsReader()
    {
        byte[] original = SafeTensorsFile();
        Fuzz("safetensors", 4, (rng, _) => SafeTensorsMutations.Mutate(rng, original), (_, path) =>
        {
            var header = SafeTensors.ReadHeader(path);
            using var file = SafeTensors.Read(path);
            Assert.That(file.Tensors.Keys, Is.EquivalentTo(header.Tensors.Select(t => t.Name)));
            foreach (var info in header.Tensors)
            {
                var tensor = file.Tensors[info.Name];
                Assert.That(tensor.Shape, Is.EqualTo(info.Shape));
                Assert.That(tensor.ToArray(), Has.Length.EqualTo(info.Count));
            }
            Assert.That(file.Metadata, Is.EqualTo(header.Metadata));
        });
    }

    private static float[][] Weights(Module model) => [.. model.StateDict().Values.Select(t => t.ToArray())];

    [Test]
    public void CheckpointLoad()
    {
        var saved = new Mlp(4, [3], 2, new Generator(1));
        var savedOptimizer = new Adam(saved.Parameters(), lr: 0.01f);
        var savedSchedule = new StepLR(savedOptimizer, stepSize: 2, gamma: 0.5f);
        string source = Path.Combine(Dir.Path, "source.ckpt");
        Checkpoint.Save(source, saved, savedOptimizer, savedSchedule, new TrainingState { Epoch = 3, Step = 12 });
        byte[] original = File.ReadAllBytes(source);
        var savedWeights = Weights(saved);

        Fuzz("checkpoint", 5, (rng, _) => SafeTensorsMutations.Mutate(rng, original), (_, path) =>
        {
            var model = new Mlp(4, [3], 2, new Generator(2));
            var optimizer = new Adam(model.Parameters(), lr: 0.5f);
            var schedule = new StepLR(optimizer, stepSize: 2, gamma: 0.5f);
            var before = Weights(model);
            try
            {
                var state = Checkpoint.Load(path, model, optimizer, schedule);
                Assert.That((state.Epoch, state.Step), Is.EqualTo((3L, 12L)));
                Assert.That(Weights(model), Is.EqualTo(savedWeights), "a checkpoint that loads holds what was saved");
            }
            catch (InvalidDataException)
            {
                Assert.That(Weights(model), Is.EqualTo(before), "a rejected checkpoint leaves the model as it was");
                throw;
            }
        });
    }
}
