using System.CommandLine;
using Tensorlet.Cli.Training;

namespace Tensorlet.Cli.Commands;

/// <summary><c>tensorlet train</c>: trains a model on Fashion-MNIST (the full set when installed, else the embedded sample).</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = $"Model to train ({string.Join(", ", ModelFactory.Names)})", DefaultValueFactory = _ => "mlp" };
        var data = new Option<string?>("--data") { Description = "Directory with the IDX files, or 'sample' for the embedded sample (default: the installed full set, else the sample)" };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training set", DefaultValueFactory = _ => 5 };
        var batch = new Option<int>("--batch") { Description = "Mini-batch size", DefaultValueFactory = _ => 64 };
        var lr = new Option<float>("--lr") { Description = "Learning rate", DefaultValueFactory = _ => 0.05f };
        var momentum = new Option<float>("--momentum") { Description = "SGD momentum", DefaultValueFactory = _ => 0.9f };
        var weightDecay = new Option<float>("--weight-decay") { Description = "L2 weight decay", DefaultValueFactory = _ => 0f };
        var threads = new Option<int>("--threads") { Description = "CPU threads", DefaultValueFactory = _ => Environment.ProcessorCount };
        var seed = new Option<ulong>("--seed") { Description = "Seed for initialisation and shuffling", DefaultValueFactory = _ => 0UL };
        var command = new Command("train", "Train a model and report test accuracy") { model, data, epochs, batch, lr, momentum, weightDecay, threads, seed };
        command.SetAction(r => new Trainer(new TrainOptions(
            r.GetValue(model)!, r.GetValue(data), r.GetValue(epochs), r.GetValue(batch), r.GetValue(lr),
            r.GetValue(momentum), r.GetValue(weightDecay), r.GetValue(threads), r.GetValue(seed))).Run());
        return command;
    }
}
