using Tensorlet.IO;
using Tensorlet.Models;
using Tensorlet.NN;
using Tensorlet.Optim;

namespace Tensorlet.Tests.IO;

/// <summary>
/// A checkpoint whose checksum is right but whose numbers are not (crafted, or written by a buggy tool) is refused
/// with the file and the entry named, and the refusal leaves the model, the optimizer and the schedule as they were.
/// </summary>
public class CheckpointValidationTests : TempDirectoryFixture
{
    private sealed class Run : IDisposable
    {
        public Run(ulong seed)
        {
            Model = new Mlp(4, [3], 2, new Generator(seed));
            Optimizer = new Adam(Model.Parameters(), 0.01f);
            Schedule = new StepLR(Optimizer, stepSize: 1, gamma: 0.5f);
            var g = new Generator(seed + 1);
            for (int i = 0; i < 2; i++)
                using (TensorScope.Begin())
                {
                    var loss = F.CrossEntropy(Model.Call(Tensor.Randn([5, 4], g)), Tensor.FromArray([0f, 1f, 1f, 0f, 1f], [5]));
                    Optimizer.ZeroGrad();
                    loss.Backward();
                    Optimizer.Step();
                    Schedule.Step();
                }
        }

        public Mlp Model { get; }
        public Adam Optimizer { get; }
        public StepLR Schedule { get; }

        /// <summary>Every number the run holds: weights, optimizer state and counters, the schedule's position.</summary>
        public int[] Snapshot() =>
            Model.StateDict().Values.Concat(Optimizer.StateTensors().Values).SelectMany(t => t.ToArray())
                .Append(Optimizer.LearningRate).Append(Optimizer.StepCount).Append(Schedule.LastEpoch).Append(Schedule.BaseLearningRate)
                .Select(BitConverter.SingleToInt32Bits).ToArray();

        public void Dispose()
        {
            Optimizer.Dispose();
            Model.Dispose();
        }
    }

    [TestCase("schedule.last_epoch", "-1")]
    [TestCase("schedule.last_epoch", "2147483648")]
    [TestCase("schedule.base_lr", "NaN")]
    [TestCase("optimizer.lr", "-0.5")]
    [TestCase("optimizer.lr", "Infinity")]
    [TestCase("optimizer.step_count", "-3")]
    [TestCase("epoch", "-5")]
    [TestCase("step", "-1")]
    [TestCase("epoch", "9999999999")]
    public void AnOutOfRangeEntryIsRefusedAndNothingChanges(string key, string value)
    {
        string path = Path.Combine(Dir.Path, "run.ckpt");
        using (var saved = new Run(seed: 1))
            Checkpoint.Save(path, saved.Model, saved.Optimizer, saved.Schedule, new TrainingState { Epoch = 2, Step = 2 });
        CheckpointFiles.EditMetadata(path, meta => meta[key] = value);

        using var target = new Run(seed: 7);
        var before = target.Snapshot();
        var ex = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, target.Model, target.Optimizer, target.Schedule));
        Assert.That(ex!.Message, Does.Contain(path).And.Contain($"'{key}'"));
        Assert.That(target.Snapshot(), Is.EqualTo(before), "a refused checkpoint changes nothing");
    }

    [Test]
    public void InspectVerifiesBeforeItReports()
    {
        string path = Path.Combine(Dir.Path, "run.ckpt");
        using (var saved = new Run(seed: 1))
        {
            var state = new TrainingState { Epoch = 3, Step = 12 };
            state.Metadata["model"] = "mlp";
            Checkpoint.Save(path, saved.Model, saved.Optimizer, saved.Schedule, state);
        }
        var info = Checkpoint.Inspect(path);
        Assert.That((info.Epoch, info.Step, info.Metadata["model"]), Is.EqualTo((3L, 12L, "mlp")));

        var bytes = File.ReadAllBytes(path);
        bytes[^3] ^= 0x10;
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<InvalidDataException>(() => Checkpoint.Inspect(path));
        Assert.That(ex!.Message, Does.Contain(path).And.Contain("checksum"));
    }
}
