using System.Diagnostics;
using Spectre.Console;
using Tensorlet.Data;
using Tensorlet.IO;
using Tensorlet.Optim;

namespace Tensorlet.Cli.Training;

/// <summary>
/// The training loop behind <c>tensorlet train</c>: one <see cref="TensorScope"/> per step so memory stays flat, an
/// evaluation, a CSV row, a plot and an atomic checkpoint after every epoch; <c>--resume</c> continues a run exactly.
/// A non-finite loss stops the run before it reaches the weights or the checkpoint (see <see cref="DivergenceGuard"/>).
/// </summary>
internal sealed class Trainer(TrainOptions requested)
{
    // Replaced by the checkpoint's options on resume.
    private TrainOptions _options = requested;

    public const string CheckpointFile = "checkpoint.safetensors", LogFile = "log.csv", PlotFile = "curves.png";

    public int Run()
    {
        _options.Validate();
        // Everything that can be refused is checked before a folder is made or a file written.
        if (_options.Resume is { } resume)
        {
            if (!File.Exists(resume)) throw new FileNotFoundException($"--resume {resume}: the checkpoint does not exist.");
            var saved = Checkpoint.Inspect(resume);
            _options = RunRecord.Reconcile(_options, saved, resume);
            _options.Validate();
            if (saved.Epoch >= _options.Epochs)
            {
                AnsiConsole.MarkupLine($"[bold]finished[/] {Markup.Escape(resume)} holds epoch {saved.Epoch} of {_options.Epochs}: " +
                                       "the run is complete, nothing to do (to train further, give a larger --epochs with --schedule none).");
                return 0;
            }
        }
        Threads.Count = _options.Threads;
        var settings = _options.DataSettings;
        string kind = TrainingData.Kind(_options.Data, settings.Dataset);
        var input = InputShape(kind);
        var train = TrainingData.Load(kind, _options.Data, train: true, input);
        var test = TrainingData.Load(kind, _options.Data, train: false, input);
        var (mean, std) = TrainingData.Normalization(settings, kind, train);
        var (trainTransforms, evalTransforms) = TrainingData.Transforms(settings.AugmentSteps(), mean, std);
        var dataRecord = new DataRecord(kind, train.ClassNames, mean, std);
        var generator = new Generator(_options.Seed);
        var device = Device.Parse(_options.Device);
        // Initialised on the CPU (the same weights for a seed on every device), then moved before the optimizer sees them.
        using var model = ModelFactory.Create(_options.Model, train.Channels, train.Height, train.Width, train.ClassCount, generator).To(device);
        using var optimizer = RunSetup.CreateOptimizer(_options, model);
        var schedule = RunSetup.CreateSchedule(_options, optimizer);
        var loader = new DataLoader(train, _options.BatchSize, shuffle: true, generator: generator, transforms: trainTransforms, device: device);

        using var folder = RunFolder.Open(_options.Out ?? Path.Combine("runs", $"{_options.Model}-{DateTime.Now:yyyyMMdd-HHmmss}"));
        string outDir = folder.Path, checkpointPath = Path.Combine(outDir, CheckpointFile);
        int startEpoch = 0;
        long step = 0;
        if (_options.Resume != null)
        {
            var state = Checkpoint.Load(_options.Resume, model, optimizer, schedule);
            startEpoch = (int)state.Epoch;
            step = state.Step;
            if (state.Loaders.TryGetValue("train", out var ls)) loader.SetState(ls);
            if (state.Generators.TryGetValue("model", out var gs)) generator.SetState(gs);
            AnsiConsole.MarkupLine($"[bold]resume[/] {Markup.Escape(_options.Resume)} at epoch {startEpoch}, step {step}, with the options of the run that wrote it");
        }
        var log = new TrainingLog(Path.Combine(outDir, LogFile), resume: _options.Resume != null);

        AnsiConsole.MarkupLine($"[bold]data[/]   {Markup.Escape(TrainingData.Describe(kind, _options.Data))}: {train.Count:N0} train, {test.Count:N0} test images " +
                               $"of {train.Channels}×{train.Height}×{train.Width}, {train.ClassCount} classes" +
                               (mean is null ? "" : $"; normalised by mean {string.Join(", ", mean.Select(m => m.ToString("F3")))}, std {string.Join(", ", std!.Select(s => s.ToString("F3")))}") +
                               (trainTransforms.Length > evalTransforms.Length ? $"; augment {string.Join(", ", settings.AugmentSteps())}" : ""));
        AnsiConsole.MarkupLine($"[bold]model[/]  {Markup.Escape(_options.Model)}: {model.ParameterCount():N0} parameters");
        AnsiConsole.MarkupLine($"[bold]train[/]  {_options.Epochs} epochs, batch {_options.BatchSize}, {optimizer.GetType().Name} lr {_options.LearningRate} " +
                               $"({_options.Schedule} schedule), {Threads.Count} threads, seed {_options.Seed}, device {device}");
        AnsiConsole.MarkupLine($"[bold]out[/]    {Markup.Escape(outDir)}");

        var guard = new DivergenceGuard(checkpointPath, _options.LearningRate);
        var clock = Stopwatch.StartNew();
        double testAcc = double.NaN;
        for (int epoch = startEpoch + 1; epoch <= _options.Epochs; epoch++)
        {
            var metrics = new Metrics();
            var epochClock = Stopwatch.StartNew();
            double lr = optimizer.LearningRate;
            AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                         new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask($"epoch {epoch}/{_options.Epochs}", maxValue: loader.BatchCount);
                    foreach (var batch in loader.Epoch())
                    {
                        using (TensorScope.Begin())
                        {
                            var logits = model.Call(batch.Images);
                            var loss = F.CrossEntropy(logits, batch.Labels);
                            // Read before the update, so a diverged step never reaches the weights.
                            float value = loss.Item();
                            guard.CheckLoss(value, epoch, step + 1);
                            optimizer.ZeroGrad();
                            loss.Backward();
                            optimizer.Step();
                            metrics.Add(value, Metrics.CountCorrect(logits, batch.Labels), batch.Size);
                            log.AddStep(step + 1, value);
                            batch.Dispose();
                        }
                        step++;
                        double ips = metrics.Seen / epochClock.Elapsed.TotalSeconds;
                        task.Description = $"epoch {epoch}/{_options.Epochs}  loss {metrics.Loss:F4}  acc {metrics.Accuracy:P1}  {ips:N0} img/s";
                        task.Increment(1);
                    }
                });
            double seconds = epochClock.Elapsed.TotalSeconds;
            var (testLoss, acc) = Evaluator.Evaluate(model, test, 500, device, evalTransforms);
            guard.CheckTestLoss(testLoss, epoch, step);
            testAcc = acc;
            schedule?.Step();
            log.Add(new EpochRecord(epoch, metrics.Loss, metrics.Accuracy, testLoss, acc, lr, seconds, metrics.Seen / seconds));
            CurvePlot.Save(log, Path.Combine(outDir, PlotFile), _options.Model);
            var state = new TrainingState { Epoch = epoch, Step = step };
            state.Loaders["train"] = loader.GetState();
            state.Generators["model"] = generator.GetState();
            RunSetup.Describe(state, _options.Model, train);
            dataRecord.Write(state);
            RunRecord.Write(state, _options);
            Checkpoint.Save(checkpointPath, model, optimizer, schedule, state);
            guard.Saved(epoch);
            AnsiConsole.MarkupLine(
                $"epoch {epoch}: train loss {metrics.Loss:F4} acc {metrics.Accuracy:P2} | test loss {testLoss:F4} [bold]acc {acc:P2}[/] | " +
                $"{metrics.Seen / seconds:N0} img/s, {seconds:F1} s");
        }
        AnsiConsole.MarkupLine($"[bold green]test accuracy {testAcc:P2}[/] after {_options.Epochs} epochs ({clock.Elapsed.TotalSeconds:F1} s this run); " +
                               $"log, plot and checkpoint in {Markup.Escape(outDir)}");
        return 0;
    }

    /// <summary>
    /// [C, H, W] that image-folder pictures are converted to: the model's own input (3 × 32 × 32 for the CIFAR
    /// configurations, 1 × 28 × 28 for the Fashion-MNIST ones), or <c>--image-size</c>. Other datasets bring their shape.
    /// </summary>
    private int[] InputShape(string kind)
    {
        var native = Models.ModelZoo.Get(_options.Model).NativeInput;
        if (_options.DataSettings.Size() is not { } size) return native;
        if (kind != "folder") throw new ArgumentException($"--image-size applies to image folders only; {kind} images have a fixed size.");
        return [native[0], size.Height, size.Width];
    }
}
