using System.CommandLine;
using Tensorlet.Cli.Training;

namespace Tensorlet.Cli.Commands;

/// <summary>
/// <c>tensorlet train</c>: trains a model on Fashion-MNIST (the full set when installed, else the embedded sample), on
/// CIFAR-10/100 or on an image folder (<see cref="DataOptions"/>).
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model")
        {
            Description = $"Model to train, from the families {string.Join(", ", Choices.ModelFamilies)} (`tensorlet models` lists every name; tab completion offers them)",
            DefaultValueFactory = _ => ModelFactory.Default,
        }.Restrict("model", Choices.Models, helpName: "name", listedBy: "tensorlet models");
        var data = new Option<string?>("--data") { Description = DataOptions.DataDescription };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training set", DefaultValueFactory = _ => 10 };
        var batch = new Option<int>("--batch") { Description = "Mini-batch size", DefaultValueFactory = _ => 64 };
        var lr = new Option<float>("--lr") { Description = "Learning rate", DefaultValueFactory = _ => 0.05f };
        var optimizer = new Option<string>("--optimizer") { Description = "Optimizer", DefaultValueFactory = _ => "sgd" }.Restrict("optimizer", Choices.Optimizers);
        var momentum = new Option<float>("--momentum") { Description = "SGD momentum", DefaultValueFactory = _ => 0.9f };
        var weightDecay = new Option<float>("--weight-decay") { Description = "Weight decay", DefaultValueFactory = _ => 0f };
        var schedule = new Option<string>("--schedule") { Description = "Learning-rate schedule (none and constant keep the rate)", DefaultValueFactory = _ => "cosine" }
            .Restrict("schedule", Choices.Schedules);
        var output = new Option<string?>("--out") { Description = "Directory for the checkpoint, CSV log and plot (default: runs/MODEL-TIME)" };
        var resume = new Option<string?>("--resume") { Description = "Checkpoint to continue from, with the options of the run that wrote it (options left out are taken from it; different ones are refused)" };
        var threads = ThreadsOption.Create();
        var seed = new Option<ulong>("--seed") { Description = "Seed for initialisation, shuffling and dropout", DefaultValueFactory = _ => 0UL };
        var device = DeviceOption.Create();
        var command = new Command("train", "Train a model, evaluating and checkpointing after every epoch")
        {
            model, data, epochs, batch, lr, optimizer, momentum, weightDecay, schedule, output, resume, threads, seed, device,
        };
        var dataOptions = new DataOptions();
        foreach (var option in dataOptions.All) command.Options.Add(option);
        command.SetAction(r => new Trainer(new TrainOptions(
            r.GetValue(model)!, r.GetValue(data), r.GetValue(epochs), r.GetValue(batch), r.GetValue(lr), r.GetValue(optimizer)!,
            r.GetValue(momentum), r.GetValue(weightDecay), r.GetValue(schedule)!, r.GetValue(output), r.GetValue(resume),
            ThreadsOption.Clamp(r.GetValue(threads)), r.GetValue(seed), r.GetValue(device)!)
        {
            // A resumed run takes what was not typed from its checkpoint, and refuses what was typed differently.
            Given = command.Options.Where(o => r.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToHashSet(),
            DataSettings = dataOptions.Read(r),
        }).Run());
        return command;
    }
}
