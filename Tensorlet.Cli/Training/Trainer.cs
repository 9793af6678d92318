using System.Diagnostics;
using Spectre.Console;
using Tensorlet.Data;
using Tensorlet.IO;
using Tensorlet.Optim;

namespace Tensorlet.Cli.Training;

/// <summary>
/// The training loop behind <c>tensorlet train</c>: one <see cref="TensorScope"/> per step so memory stays flat, an
/// evaluation, a CSV row, a plot and an atomic checkpoint after every epoch; <c>--resume</c> continues a run exactly.
/// </summary>
internal sealed class Trainer(TrainOptions options)
{
    public const string CheckpointFile = "checkpoint.safetensors", LogFile = "log.csv", PlotFile = "curves.png";

    public int Run()
    {
        if (options.Epochs <= 0) throw new ArgumentException($"--epochs must be positive, got {options.Epochs}.");
        if (options.BatchSize <= 0) throw new ArgumentException($"--batch must be positive, got {options.BatchSize}.");
        Threads.Count = options.Threads;
        var source = FashionMnist.Resolve(options.Data);
        var train = source.Load(train: true);
        var test = source.Load(train: false);
        var generator = new Generator(options.Seed);
        var device = Device.Parse(options.Device);
        // Initialised on the CPU (the same weights for a seed on every device), then moved before the optimizer sees them.
        using var model = ModelFactory.Create(options.Model, train.Channels, train.Height, train.Width, train.ClassCount, generator).To(device);
        using var optimizer = RunSetup.CreateOptimizer(options, model);
        var schedule = RunSetup.CreateSchedule(options, optimizer);
        var loader = new DataLoader(train, options.BatchSize, shuffle: true, generator: generator, device: device);

        string outDir = options.Out ?? Path.Combine("runs", $"{options.Model}-{DateTime.Now:yyyyMMdd-HHmmss}");
        Directory.CreateDirectory(outDir);
        int startEpoch = 0;
        long step = 0;
        if (options.Resume != null)
        {
            var state = Checkpoint.Load(options.Resume, model, optimizer, schedule);
            startEpoch = (int)state.Epoch;
            step = state.Step;
            if (state.Loaders.TryGetValue("train", out var ls)) loader.SetState(ls);
            if (state.Generators.TryGetValue("model", out var gs)) generator.SetState(gs);
            AnsiConsole.MarkupLine($"[bold]resume[/] {Markup.Escape(options.Resume)} at epoch {startEpoch}, step {step}");
        }
        var log = new TrainingLog(Path.Combine(outDir, LogFile), resume: options.Resume != null);

        AnsiConsole.MarkupLine($"[bold]data[/]   {Markup.Escape(source.Description)}: {train.Count:N0} train, {test.Count:N0} test images");
        AnsiConsole.MarkupLine($"[bold]model[/]  {Markup.Escape(options.Model)}: {model.ParameterCount():N0} parameters");
        AnsiConsole.MarkupLine($"[bold]train[/]  {options.Epochs} epochs, batch {options.BatchSize}, {optimizer.GetType().Name} lr {options.LearningRate} " +
                               $"({options.Schedule} schedule), {Threads.Count} threads, seed {options.Seed}, device {device}");
        AnsiConsole.MarkupLine($"[bold]out[/]    {Markup.Escape(outDir)}");

        var clock = Stopwatch.StartNew();
        double testAcc = double.NaN;
        for (int epoch = startEpoch + 1; epoch <= options.Epochs; epoch++)
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
                    var task = ctx.AddTask($"epoch {epoch}/{options.Epochs}", maxValue: loader.BatchCount);
                    foreach (var batch in loader.Epoch())
                    {
                        using (TensorScope.Begin())
                        {
                            var logits = model.Call(batch.Images);
                            var loss = F.CrossEntropy(logits, batch.Labels);
                            optimizer.ZeroGrad();
                            loss.Backward();
                            optimizer.Step();
                            metrics.Add(loss.Item(), Metrics.CountCorrect(logits, batch.Labels), batch.Size);
                            log.AddStep(step + 1, loss.Item());
                            batch.Dispose();
                        }
                        step++;
                        double ips = metrics.Seen / epochClock.Elapsed.TotalSeconds;
                        task.Description = $"epoch {epoch}/{options.Epochs}  loss {metrics.Loss:F4}  acc {metrics.Accuracy:P1}  {ips:N0} img/s";
                        task.Increment(1);
                    }
                });
            double seconds = epochClock.Elapsed.TotalSeconds;
            var (testLoss, acc) = Evaluator.Evaluate(model, test, 500, device);
            testAcc = acc;
            schedule?.Step();
            log.Add(new EpochRecord(epoch, metrics.Loss, metrics.Accuracy, testLoss, acc, lr, seconds, metrics.Seen / seconds));
            CurvePlot.Save(log, Path.Combine(outDir, PlotFile), options.Model);
            var state = new TrainingState { Epoch = epoch, Step = step };
            state.Loaders["train"] = loader.GetState();
            state.Generators["model"] = generator.GetState();
            RunSetup.Describe(state, options.Model, train);
            Checkpoint.Save(Path.Combine(outDir, CheckpointFile), model, optimizer, schedule, state);
            AnsiConsole.MarkupLine(
                $"epoch {epoch}: train loss {metrics.Loss:F4} acc {metrics.Accuracy:P2} | test loss {testLoss:F4} [bold]acc {acc:P2}[/] | " +
                $"{metrics.Seen / seconds:N0} img/s, {seconds:F1} s");
        }
        AnsiConsole.MarkupLine($"[bold green]test accuracy {testAcc:P2}[/] after {options.Epochs} epochs ({clock.Elapsed.TotalSeconds:F1} s this run); " +
                               $"log, plot and checkpoint in {Markup.Escape(outDir)}");
        return 0;
    }
}
