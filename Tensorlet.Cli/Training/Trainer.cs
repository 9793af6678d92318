using System.Diagnostics;
using Spectre.Console;
using Tensorlet.Data;
using Tensorlet.NN;
using Tensorlet.Optim;

namespace Tensorlet.Cli.Training;

/// <summary>The training loop behind <c>tensorlet train</c>: one scope per step, so memory stays flat.</summary>
internal sealed class Trainer(TrainOptions options)
{
    public int Run()
    {
        Threads.Count = options.Threads;
        var source = FashionMnist.Resolve(options.Data);
        AnsiConsole.MarkupLine($"[bold]data[/]   {Markup.Escape(source.Description)}");
        var train = source.Load(train: true);
        var test = source.Load(train: false);
        var generator = new Generator(options.Seed);
        using var model = ModelFactory.Create(options.Model, train.Channels, train.Height, train.Width, train.ClassCount, generator);
        AnsiConsole.MarkupLine($"[bold]model[/]  {Markup.Escape(options.Model)}: {model.ParameterCount():N0} parameters");
        AnsiConsole.MarkupLine($"[bold]train[/]  {train.Count:N0} images, {options.Epochs} epochs, batch {options.BatchSize}, " +
                               $"SGD lr {options.LearningRate} momentum {options.Momentum}, {Threads.Count} threads, seed {options.Seed}");
        using var optimizer = new SGD(model.Parameters(), options.LearningRate, options.Momentum, weightDecay: options.WeightDecay);
        var loader = new DataLoader(train, options.BatchSize, shuffle: true, generator: generator);
        var clock = Stopwatch.StartNew();
        double testAcc = 0;

        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var metrics = new Metrics();
            var epochClock = Stopwatch.StartNew();
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
                            var logits = model.Forward(batch.Images);
                            var loss = F.CrossEntropy(logits, batch.Labels);
                            optimizer.ZeroGrad();
                            loss.Backward();
                            optimizer.Step();
                            metrics.Add(loss.Item(), Metrics.CountCorrect(logits, batch.Labels), batch.Size);
                            batch.Dispose();
                        }
                        double ips = metrics.Seen / epochClock.Elapsed.TotalSeconds;
                        task.Description = $"epoch {epoch}/{options.Epochs}  loss {metrics.Loss:F4}  acc {metrics.Accuracy:P1}  {ips:N0} img/s";
                        task.Increment(1);
                    }
                });
            var (testLoss, acc) = Evaluator.Evaluate(model, test, 500, Device.Cpu);
            testAcc = acc;
            AnsiConsole.MarkupLine(
                $"epoch {epoch}: train loss {metrics.Loss:F4} acc {metrics.Accuracy:P2} | test loss {testLoss:F4} [bold]acc {acc:P2}[/] | " +
                $"{metrics.Seen / epochClock.Elapsed.TotalSeconds:N0} img/s, {epochClock.Elapsed.TotalSeconds:F1} s");
        }
        AnsiConsole.MarkupLine($"[bold green]test accuracy {testAcc:P2}[/] after {options.Epochs} epochs in {clock.Elapsed.TotalSeconds:F1} s");
        return 0;
    }
}
