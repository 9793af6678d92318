using Tensorlet.Data;
using Tensorlet.IO;
using Tensorlet.Models;
using Tensorlet.NN;
using Tensorlet.Optim;

namespace Tensorlet.Tests.IO;

public class CheckpointTests : TempDirectoryFixture
{
    private const int BatchSize = 32, Images = 160; // 5 batches per epoch

    private static ImageDataset? _data;

    /// <summary>The first images of the embedded Fashion-MNIST sample.</summary>
    private static ImageDataset Data()
    {
        if (_data != null) return _data;
        var full = FashionMnist.LoadSample(train: true);
        return _data = new ImageDataset("sample subset", full.Images[..(Images * full.ImageSize)], full.Labels[..Images],
            full.Channels, full.Height, full.Width, full.ClassNames);
    }

    /// <summary>Model, optimizer, schedule and loader of one run; seeds differ per instance so loading must do the work.</summary>
    private sealed class Run : IDisposable
    {
        public Run(bool adam, ulong seed)
        {
            Model = new Mlp(784, [32], 10, new Generator(seed));
            if (adam)
            {
                Optimizer = new Adam(Model.Parameters(), lr: 0.01f, amsgrad: true);
                Schedule = new LinearWarmup(Optimizer, 3, 0.2f, new CosineAnnealingLR(Optimizer, 10));
            }
            else
            {
                Optimizer = new SGD(Model.Parameters(), 0.05f, momentum: 0.9f, weightDecay: 1e-4f, nesterov: true);
                Schedule = new StepLR(Optimizer, stepSize: 4, gamma: 0.5f);
            }
            Loader = new DataLoader(Data(), BatchSize, shuffle: true, generator: new Generator(seed + 100),
                transforms: [new RandomHorizontalFlip()]);
        }

        public Mlp Model { get; }
        public Optimizer Optimizer { get; }
        public LRSchedule Schedule { get; }
        public DataLoader Loader { get; }

        /// <summary>The loader's state at the start of the epoch holding the next step: with it a resumed run replays the epoch's shuffle and augmentation and skips the batches already used.</summary>
        public ulong[][] EpochStart { get; set; } = [];

        /// <summary>Trains global steps [from, to), one schedule step per optimizer step.</summary>
        public void Train(int from, int to)
        {
            int perEpoch = Loader.BatchCount, step = from;
            while (step < to)
            {
                EpochStart = Loader.GetState();
                int skip = step % perEpoch, index = 0;
                foreach (var batch in Loader.Epoch())
                {
                    using (batch)
                    {
                        if (index++ < skip) continue;
                        using (TensorScope.Begin())
                        {
                            var loss = F.CrossEntropy(Model.Call(batch.Images), batch.Labels);
                            Optimizer.ZeroGrad();
                            loss.Backward();
                            Optimizer.Step();
                            Schedule.Step();
                        }
                    }
                    if (++step == to) break;
                }
            }
            if (step % perEpoch == 0) EpochStart = Loader.GetState();
        }

        public void Save(string path, int step) =>
            Checkpoint.Save(path, Model, Optimizer, Schedule, State(step));

        public TrainingState State(int step)
        {
            var state = new TrainingState { Step = step, Epoch = step / Loader.BatchCount };
            state.Loaders["train"] = EpochStart;
            state.Metadata["note"] = "resume test";
            return state;
        }

        public void Dispose()
        {
            Optimizer.Dispose();
            Model.Dispose();
        }
    }

    private static int[] Bits(Module model) =>
        model.Parameters().SelectMany(p => p.ToArray()).Select(BitConverter.SingleToInt32Bits).ToArray();

    [TestCase(false, 10, TestName = "Resume is bit-identical: SGD Nesterov + StepLR, saved at an epoch boundary")]
    [TestCase(true, 12, TestName = "Resume is bit-identical: Adam amsgrad + warm-up/cosine, saved mid-epoch")]
    public void ResumeIsBitIdentical(bool adam, int steps)
    {
        using var straight = new Run(adam, seed: 1);
        straight.Train(0, steps);

        string path = Path.Combine(Dir.Path, "run.ckpt");
        using (var first = new Run(adam, seed: 1))
        {
            first.Train(0, steps / 2);
            first.Save(path, steps / 2);
        }
        using var resumed = new Run(adam, seed: 2);
        var state = Checkpoint.Load(path, resumed.Model, resumed.Optimizer, resumed.Schedule);
        resumed.Loader.SetState(state.Loaders["train"]);
        Assert.That(state.Step, Is.EqualTo(steps / 2));
        Assert.That(state.Metadata["note"], Is.EqualTo("resume test"));
        resumed.Train((int)state.Step, steps);

        Assert.That(Bits(resumed.Model), Is.EqualTo(Bits(straight.Model)));
        Assert.That(resumed.Optimizer.LearningRate, Is.EqualTo(straight.Optimizer.LearningRate));
        Assert.That(resumed.Optimizer.StepCount, Is.EqualTo(straight.Optimizer.StepCount));
    }

    [Test]
    public void AFailedSaveLeavesTheOldCheckpointIntact()
    {
        string path = Path.Combine(Dir.Path, "run.ckpt");
        using var run = new Run(adam: false, seed: 1);
        run.Train(0, 2);
        run.Save(path, 2);
        var before = File.ReadAllBytes(path);
        var bitsBefore = Bits(run.Model);

        run.Train(2, 4);
        string? temp = null;
        AtomicFile.BeforeCommit = t =>
        {
            temp = t;
            Assert.That(new FileInfo(t).Length, Is.GreaterThan(0), "the new content was written to a temporary file");
            throw new IOException("simulated crash before the rename");
        };
        try { Assert.Throws<IOException>(() => run.Save(path, 4)); }
        finally { AtomicFile.BeforeCommit = null; }

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(before));
        Assert.That(File.Exists(temp), Is.False, "the temporary file is removed");
        using var fresh = new Run(adam: false, seed: 3);
        Assert.That(Checkpoint.Load(path, fresh.Model, fresh.Optimizer, fresh.Schedule).Step, Is.EqualTo(2));
        Assert.That(Bits(fresh.Model), Is.EqualTo(bitsBefore));
    }

    private static IEnumerable<TestCaseData> Damage()
    {
        yield return new TestCaseData(new Func<byte[], byte[]>(b => { b[^5] ^= 0x40; return b; }), "checksum").SetName("A flipped data byte");
        yield return new TestCaseData(new Func<byte[], byte[]>(b => b[..^7]), "truncated").SetName("A truncated file");
        yield return new TestCaseData(new Func<byte[], byte[]>(b =>
        {
            int i = System.Text.Encoding.ASCII.GetString(b).IndexOf("\"step\":\"4\"", StringComparison.Ordinal);
            b[i + 8] = (byte)'9';
            return b;
        }), "checksum").SetName("An edited metadata entry");
    }

    [TestCaseSource(nameof(Damage))]
    public void ADamagedCheckpointIsRejectedAndLoadsNothing(Func<byte[], byte[]> damage, string reason)
    {
        string path = Path.Combine(Dir.Path, "run.ckpt");
        using (var run = new Run(adam: true, seed: 1))
        {
            run.Train(0, 4);
            run.Save(path, 4);
        }
        File.WriteAllBytes(path, damage(File.ReadAllBytes(path)));

        using var fresh = new Run(adam: true, seed: 2);
        var bits = Bits(fresh.Model);
        var ex = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, fresh.Model, fresh.Optimizer, fresh.Schedule));
        Assert.That(ex!.Message, Does.Contain(path).And.Contain(reason));
        Assert.That(Bits(fresh.Model), Is.EqualTo(bits));
        Assert.That(fresh.Optimizer.StateTensors(), Is.Empty);
    }

    [Test]
    public void AMismatchedOptimizerIsRejectedBeforeTheModelChanges()
    {
        string path = Path.Combine(Dir.Path, "run.ckpt");
        using (var run = new Run(adam: true, seed: 1))
        {
            run.Train(0, 2);
            run.Save(path, 2);
        }
        using var sgdRun = new Run(adam: false, seed: 2);
        var bits = Bits(sgdRun.Model);
        var ex = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, sgdRun.Model, sgdRun.Optimizer));
        Assert.That(ex!.Message, Does.Contain("optimizer state of a Adam, not a SGD"));
        Assert.That(Bits(sgdRun.Model), Is.EqualTo(bits));

        using var wider = new Mlp(784, [33], 10);
        var sizes = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, wider));
        Assert.That(sizes!.Message, Does.Contain("size mismatch for 'layers.1.weight'"));
    }

    [Test]
    public void PyTorchReadableWeightsAndGeneratorStates()
    {
        string path = Path.Combine(Dir.Path, "run.ckpt");
        using var run = new Run(adam: true, seed: 1);
        var gen = new Generator(42);
        gen.NextNormal(); // leaves a spare normal in the state
        var state = run.State(0);
        state.Generators["dropout"] = gen.GetState();
        Checkpoint.Save(path, run.Model, run.Optimizer, run.Schedule, state);

        var header = SafeTensors.ReadHeader(path);
        Assert.That(header.Tensors.Select(t => t.Name), Does.Contain("model.layers.1.weight"));
        Assert.That(header.Metadata["format"], Is.EqualTo(Checkpoint.Format));
        var loaded = Checkpoint.Load(path, new Mlp(784, [32], 10));
        var copy = new Generator(0);
        copy.SetState(loaded.Generators["dropout"]);
        Assert.That(copy.NextNormal(), Is.EqualTo(gen.NextNormal()));
    }
}
