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
    };

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
