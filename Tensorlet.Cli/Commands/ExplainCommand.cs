using System.CommandLine;
using Tensorlet.Cli.Explain;

namespace Tensorlet.Cli.Commands;

/// <summary>
/// <c>tensorlet explain conv|backprop</c>: print, for a learner, what happens inside a convolution (im2col, the GEMM,
/// col2im for the backward) and inside one training step (the autograd graph with each node's gradient norm).
/// </summary>
internal static class ExplainCommand
{
    public static Command Create() => new("explain", "Show a convolution or a training step's backward pass, step by step")
    {
        Conv(),
        Backprop(),
    };

    private static Command Backprop()
    {
        var model = new Option<string>("--model") { Description = "mlp or cnn", DefaultValueFactory = _ => "mlp", HelpName = "mlp|cnn" };
        model.CompletionSources.Add(BackpropExplainer.Models);
        var batch = new Option<int>("--batch") { Description = "Images in the batch (1 to 64)", DefaultValueFactory = _ => 8 };
        var lr = new Option<float>("--lr") { Description = "SGD learning rate of the step", DefaultValueFactory = _ => 0.1f };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the weights and of the batch drawn", DefaultValueFactory = _ => 0UL };
        var output = new Option<string?>("--out") { Description = "Directory for graph.dot (and graph.png where Graphviz's dot is installed)" };
        var command = new Command("backprop", "One training step's autograd graph, with the gradient norm at every node")
        {
            model, batch, lr, seed, output,
        };
        command.SetAction(r =>
        {
            BackpropExplainer.Run(r.GetValue(model)!, r.GetValue(batch), r.GetValue(lr), r.GetValue(seed), r.GetValue(output), Console.Out);
            return 0;
        });
        return command;
    }

    private static Command Conv()
    {
        var input = new Option<string>("--input") { Description = "Input shape N×C×H×W, e.g. 1x3x5x5", DefaultValueFactory = _ => "1x3x5x5" };
        var outChannels = new Option<int>("--out-channels") { Description = "Output channels (filters)", DefaultValueFactory = _ => 2 };
        var kernel = new Option<int>("--kernel") { Description = "Kernel size k (square)", DefaultValueFactory = _ => 3 };
        var stride = new Option<int>("--stride") { Description = "Stride", DefaultValueFactory = _ => 1 };
        var padding = new Option<int>("--padding") { Description = "Zero padding on each side", DefaultValueFactory = _ => 0 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the input, weights and upstream gradient", DefaultValueFactory = _ => 0UL };
        var backward = new Option<bool>("--backward") { Description = "Also show the backward pass: dW as a GEMM, dx through col2im" };
        var command = new Command("conv", "A convolution as im2col (F.Unfold) × weights, every matrix printed and checked")
        {
            input, outChannels, kernel, stride, padding, seed, backward,
        };
        command.SetAction(r =>
        {
            var request = ConvRequest.Parse(r.GetValue(input)!, r.GetValue(outChannels), r.GetValue(kernel), r.GetValue(stride),
                                            r.GetValue(padding), r.GetValue(seed), r.GetValue(backward));
            return ConvExplainer.Run(request, Console.Out) ? 0 : 2;
        });
        return command;
    }
}
