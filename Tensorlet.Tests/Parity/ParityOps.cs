using Tensorlet.Optim;

namespace Tensorlet.Tests.Parity;

/// <summary>
/// The dispatch table of the parity harness: op name → a function from the case (its params) and the loaded inputs
/// (leaves with RequiresGrad where the case stores a gradient) to the named outputs. Wiring a new op is one entry.
/// </summary>
internal static class ParityOps
{
    public delegate IReadOnlyDictionary<string, Tensor> Run(ParityCase c, IReadOnlyDictionary<string, Tensor> inputs);

    public static readonly IReadOnlyDictionary<string, Run> Table = new Dictionary<string, Run>
    {
        ["linear"] = (c, x) =>
        {
            var y = x["x"].MatMul(x["weight"].T);
            return Out(c.Bool("bias") ? y.Add(x["bias"]) : y);
        },
        ["relu"] = (_, x) => Out(x["x"].Relu()),
        ["leaky_relu"] = (c, x) => Out(x["x"].LeakyRelu(c.Float("negative_slope"))),
        ["sigmoid"] = (_, x) => Out(x["x"].Sigmoid()),
        ["tanh"] = (_, x) => Out(x["x"].Tanh()),
        ["silu"] = (_, x) => Out(F.Silu(x["x"])),
        ["softmax"] = (c, x) => Out(x["x"].Softmax(c.Int("dim"))),
        ["log_softmax"] = (c, x) => Out(x["x"].LogSoftmax(c.Int("dim"))),
        ["cross_entropy"] = (c, x) =>
            Out(F.CrossEntropy(x["input"], x["target"], Reduction(c), c.Has("label_smoothing") ? c.Float("label_smoothing") : 0f)),
        ["nll_loss"] = (c, x) => Out(F.NllLoss(x["input"], x["target"], Reduction(c))),
        ["mse_loss"] = (c, x) => Out(F.MseLoss(x["input"], x["target"], Reduction(c))),
        ["sgd"] = (c, x) => Steps(c, x, ps => new SGD(ps, c.Float("lr"), c.Float("momentum"), c.Float("dampening"),
                                                       c.Float("weight_decay"), c.Bool("nesterov"))),
        ["adam"] = (c, x) => Steps(c, x, ps => new Adam(ps, c.Float("lr"), c.Float("beta1"), c.Float("beta2"), c.Float("eps"),
                                                         c.Float("weight_decay"), c.Bool("amsgrad"))),
        ["adamw"] = (c, x) => Steps(c, x, ps => new AdamW(ps, c.Float("lr"), c.Float("beta1"), c.Float("beta2"), c.Float("eps"),
                                                           c.Float("weight_decay"), c.Bool("amsgrad"))),
        ["conv2d"] = (c, x) => Out(F.Conv2d(x["x"], x["weight"], c.Bool("bias") ? x["bias"] : null,
                                           Pair(c, "stride"), Pair(c, "padding"), Pair(c, "dilation"), c.Int("groups"))),
        ["max_pool2d"] = (c, x) => Out(F.MaxPool2d(x["x"], Pair(c, "kernel_size"), Pair(c, "stride"), Pair(c, "padding"), c.Bool("ceil_mode"))),
        ["avg_pool2d"] = (c, x) => Out(F.AvgPool2d(x["x"], Pair(c, "kernel_size"), Pair(c, "stride"), Pair(c, "padding"),
                                                   c.Bool("ceil_mode"), c.Bool("count_include_pad"))),
        ["adaptive_avg_pool2d"] = (c, x) => Out(F.AdaptiveAvgPool2d(x["x"], Pair(c, "output_size"))),
        ["batch_norm2d"] = (c, x) =>
        {
            var y = F.BatchNorm(x["x"], x["running_mean"], x["running_var"], x["weight"], x["bias"],
                                c.Bool("training"), c.Float("momentum"), c.Float("eps"));
            return new Dictionary<string, Tensor>
            {
                ["out"] = y, ["running_mean_after"] = x["running_mean"], ["running_var_after"] = x["running_var"],
            };
        },
        ["crelu"] = (c, x) => Out(F.CReLU(x["x"], c.Int("dim"))),
        ["unfold"] = (c, x) => Out(F.Unfold(x["x"], Pair(c, "kernel_size"), Pair(c, "dilation"), Pair(c, "padding"), Pair(c, "stride"))),
        ["fold"] = (c, x) => Out(F.Fold(x["x"], Pair(c, "output_size"), Pair(c, "kernel_size"), Pair(c, "dilation"), Pair(c, "padding"),
                                       Pair(c, "stride"))),
        ["residual_block"] = ResidualBlock,
    };

    private static (int H, int W) Pair(ParityCase c, string key)
    {
        var v = c.Ints(key);
        return (v[0], v[1]);
    }

    /// <summary>The basic residual block of the case's notes: relu(bn2(conv2(relu(bn1(conv1(x))))) + x).</summary>
    private static IReadOnlyDictionary<string, Tensor> ResidualBlock(ParityCase c, IReadOnlyDictionary<string, Tensor> x)
    {
        if (c.String("shortcut") != "identity") throw new NotSupportedException($"residual_block shortcut '{c.String("shortcut")}'");
        bool training = c.Bool("training");
        float momentum = c.Float("momentum"), eps = c.Float("eps");
        int s = c.Int("stride");
        Tensor Bn(Tensor t, string name) => F.BatchNorm(t, x[name + ".running_mean"], x[name + ".running_var"],
                                                        x[name + ".weight"], x[name + ".bias"], training, momentum, eps);
        var r1 = Bn(F.Conv2d(x["x"], x["conv1.weight"], null, s, 1), "bn1").Relu();
        var b2 = Bn(F.Conv2d(r1, x["conv2.weight"], null, 1, 1), "bn2");
        var outputs = new Dictionary<string, Tensor> { ["out"] = b2.Add(x["x"]).Relu() };
        foreach (var bn in new[] { "bn1", "bn2" })
        {
            outputs[bn + ".running_mean_after"] = x[bn + ".running_mean"];
            outputs[bn + ".running_var_after"] = x[bn + ".running_var"];
        }
        return outputs;
    }

    private static IReadOnlyDictionary<string, Tensor> Out(Tensor y) => new Dictionary<string, Tensor> { ["out"] = y };

    private static Reduction Reduction(ParityCase c) => c.String("reduction") switch
    {
        "mean" => Tensorlet.Reduction.Mean,
        "sum" => Tensorlet.Reduction.Sum,
        "none" => Tensorlet.Reduction.None,
        var r => throw new NotSupportedException($"reduction '{r}'"),
    };

    /// <summary>
    /// An optimizer case: before step k each parameter's gradient is "{p}.grad{k}"; the outputs are the values
    /// "{p}.step{k}" after each step.
    /// </summary>
    private static IReadOnlyDictionary<string, Tensor> Steps(ParityCase c, IReadOnlyDictionary<string, Tensor> x,
                                                             Func<Tensor[], Optimizer> create)
    {
        var ps = c.Parameters.Select(name => x[name]).ToArray();
        using var optimizer = create(ps);
        var outputs = new Dictionary<string, Tensor>();
        for (int k = 1; k <= c.Int("steps"); k++)
        {
            for (int i = 0; i < ps.Length; i++) ps[i].Grad = x[$"{c.Parameters[i]}.grad{k}"].Clone();
            optimizer.Step();
            for (int i = 0; i < ps.Length; i++) outputs[$"{c.Parameters[i]}.step{k}"] = ps[i].Detach().Clone();
        }
        return outputs;
    }
}
