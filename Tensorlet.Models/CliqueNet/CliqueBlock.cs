using Tensorlet.NN;
using Tensorlet.Onnx;

namespace Tensorlet.Models;

/// <summary>
/// A clique block (Yang et al., CVPR 2018): n layers of k channels, every ordered pair (l, i) of distinct layers
/// joined by its own convolution W_li, plus W_0i from the block input X₀. Layers are updated alternately:
/// <list type="bullet">
/// <item>Stage-I: X_i⁽¹⁾ = g(W_0i ∗ X₀ + Σ_{l&lt;i} W_li ∗ X_l⁽¹⁾) — a dense block.</item>
/// <item>Stage-II: X_i⁽²⁾ = g(Σ_{l&lt;i} W_li ∗ X_l⁽²⁾ + Σ_{m&gt;i} W_mi ∗ X_m⁽¹⁾) — each layer re-read from the latest
/// version of every other layer (X₀ no longer feeds it).</item>
/// </list>
/// Both stages call the same W_li (the weights are re-used, only the batch norms are per stage, as in the authors'
/// TensorFlow code where every batch_norm call creates its own scale and offset). Each update is
/// BN → ReLU → conv → dropout on the concatenation of its inputs; with the bottleneck, W_li are 1×1 and a
/// per-layer BN → ReLU → 3×3 conv → dropout (shared between the stages as well) follows. A Stage-II update reads the
/// other layers cyclically from i + 1 — [X_{i+1}⁽¹⁾, …, X_n⁽¹⁾, X_1⁽²⁾, …, X_{i−1}⁽²⁾] — so that its input is one
/// window of the block's shared feature buffer; the channels of <c>stage2_cyclic_norm{i}</c> follow that order.
/// <see cref="Module.Forward"/> returns the Stage-II features [X_1⁽²⁾, …, X_n⁽²⁾] (n·k channels).
/// </summary>
public sealed class CliqueBlock : Module, IOnnxExportable
{
    private readonly int _layers;
    private readonly Conv2d[,] _w;            // _w[l, i]: layer l → layer i; row 0 is the block input
    private readonly BatchNorm2d[] _norm1, _norm2;
    private readonly Conv2d[]? _bottleneck;
    private readonly BatchNorm2d[]? _bottleneckNorm1, _bottleneckNorm2;
    private readonly Dropout? _drop;
    private readonly int _padding;

    /// <param name="inChannels">Channels of the block input X₀.</param>
    /// <param name="layers">n, the layers of the block.</param>
    /// <param name="growth">k, channels of every layer.</param>
    public CliqueBlock(int inChannels, int layers, int growth, bool bottleneck, float dropRate, Generator? generator)
    {
        if (inChannels <= 0 || growth <= 0)
            throw new ArgumentException($"CliqueBlock: inChannels {inChannels} and growth {growth} must be positive.");
        // With one layer Stage-II would have no other layer to read from.
        if (layers < 2) throw new ArgumentOutOfRangeException(nameof(layers), layers, "CliqueBlock: needs at least 2 layers.");
        _layers = layers;
        int kernel = bottleneck ? 1 : 3;
        _padding = kernel / 2;
        _w = new Conv2d[layers + 1, layers + 1];
        for (int i = 1; i <= layers; i++)
            for (int l = 0; l <= layers; l++)
                if (l != i)
                    _w[l, i] = RegisterModule($"w{l}_{i}",
                        new Conv2d(l == 0 ? inChannels : growth, growth, kernel, padding: _padding, bias: false, generator: generator));
        _norm1 = new BatchNorm2d[layers + 1];
        _norm2 = new BatchNorm2d[layers + 1];
        for (int i = 1; i <= layers; i++)
        {
            _norm1[i] = RegisterModule($"stage1_norm{i}", new BatchNorm2d(inChannels + (i - 1) * growth));
            _norm2[i] = RegisterModule($"stage2_cyclic_norm{i}", new BatchNorm2d((layers - 1) * growth));
        }
        if (bottleneck)
        {
            _bottleneck = new Conv2d[layers + 1];
            _bottleneckNorm1 = new BatchNorm2d[layers + 1];
            _bottleneckNorm2 = new BatchNorm2d[layers + 1];
            for (int i = 1; i <= layers; i++)
            {
                _bottleneck[i] = RegisterModule($"conv{i}", new Conv2d(growth, growth, 3, padding: 1, bias: false, generator: generator));
                _bottleneckNorm1[i] = RegisterModule($"stage1_bnorm{i}", new BatchNorm2d(growth));
                _bottleneckNorm2[i] = RegisterModule($"stage2_bnorm{i}", new BatchNorm2d(growth));
            }
        }
        if (dropRate > 0) _drop = RegisterModule("drop", new Dropout(dropRate, generator));
        OutChannels = layers * growth;
    }

    /// <summary>Channels of the Stage-II output: n·k.</summary>
    public int OutChannels { get; }

    public override Tensor Forward(Tensor input) => Run(input).StageII;

    /// <summary>
    /// The block's forward pass returning both stages: Stage-I [X_1⁽¹⁾, …, X_n⁽¹⁾] (the dense-block features, kept
    /// only for inspection — the network itself passes on Stage-II) and Stage-II [X_1⁽²⁾, …, X_n⁽²⁾], each n·k channels.
    /// </summary>
    public (Tensor StageI, Tensor StageII) ForwardStages(Tensor input) => Run(input);

    // All features of the block live in one ConcatBuffer laid out [X₀ | X_1⁽¹⁾ … X_n⁽¹⁾ | X_1⁽²⁾ … X_n⁽²⁾], each written
    // once. Stage-I layer i reads the prefix [X₀, X_1⁽¹⁾ … X_{i−1}⁽¹⁾]; Stage-II layer i reads
    // [X_{i+1}⁽¹⁾ … X_n⁽¹⁾, X_1⁽²⁾ … X_{i−1}⁽²⁾] — the latest version of every other layer, which in this layout is one
    // contiguous window ending where X_i⁽²⁾ is appended. Both stages are views of it, so Stage-I costs nothing to keep.
    private (Tensor StageI, Tensor StageII) Run(Tensor input)
    {
        int n = _layers, k = OutChannels / n, c0 = input.Size(1);
        using var features = new ConcatBuffer(input, c0 + 2 * n * k);
        for (int i = 1; i <= n; i++)
            features.Append(Update(i, features.Channels(0, c0 + (i - 1) * k), StageISources(i), stage: 1));
        for (int i = 1; i <= n; i++)
            features.Append(Update(i, features.Channels(c0 + i * k, (n - 1) * k), StageIISources(i), stage: 2));
        return (features.Channels(c0, n * k), features.Channels(c0 + n * k, n * k));
    }

    // The layers whose features layer i reads, in the order of its input channels (and so of its stacked weights).
    private static int[] StageISources(int i) => Enumerable.Range(0, i).ToArray();

    // Cyclic from i + 1: X_{i+1}⁽¹⁾ … X_n⁽¹⁾ then X_1⁽²⁾ … X_{i−1}⁽²⁾; the sum Σ W_li ∗ X_l does not depend on the order.
    private int[] StageIISources(int i) => Enumerable.Range(i + 1, _layers - i).Concat(Enumerable.Range(1, i - 1)).ToArray();

    /// <summary>
    /// FLOPs of the inter-layer convolutions, which <see cref="Update"/> applies through the functional
    /// <c>Tensor.Conv2d</c> (the stacked W_li) and which are therefore not seen as module calls: per image and
    /// output position, Stage-I layer i reads c₀ + (i−1)k channels and Stage-II layer i reads (n−1)k, each through a
    /// kernel of K² weights to k outputs, 2 FLOPs per multiply-add. The batch norms, the bottleneck 3×3 convolutions and
    /// the dropouts are module calls and count themselves.
    /// </summary>
    public override double ForwardFlops(int[] inputShape, int[] outputShape)
    {
        int n = _layers, k = OutChannels / n, kernel = 2 * _padding + 1;
        long readChannels = 0;
        for (int i = 1; i <= n; i++) readChannels += inputShape[1] + (i - 1) * k + (n - 1) * k;
        double positions = (double)inputShape[0] * inputShape[2] * inputShape[3];
        return 2.0 * positions * k * kernel * kernel * readChannels;
    }

    private Tensor Update(int i, Tensor inputs, int[] sources, int stage)
    {
        var norm = stage == 1 ? _norm1[i] : _norm2[i];
        var h = norm.Call(inputs).Relu();
        // Σ_l W_li ∗ h_l equals one convolution of the concatenated inputs with the W_li stacked along input channels:
        // one GEMM instead of many, while every W_li stays its own parameter, shared by both stages.
        var weight = sources.Length == 1 ? _w[sources[0], i].Weight : Tensor.Cat(sources.Select(l => _w[l, i].Weight).ToList(), 1);
        var y = Drop(h.Conv2d(weight, null, 1, _padding));
        if (_bottleneck != null)
        {
            var bnorm = stage == 1 ? _bottleneckNorm1![i] : _bottleneckNorm2![i];
            y = Drop(_bottleneck[i].Call(bnorm.Call(y).Relu()));
        }
        return y;
    }

    private Tensor Drop(Tensor t) => _drop == null ? t : _drop.Call(t);

    /// <summary>
    /// <see cref="Run"/>'s dataflow as ONNX nodes: each update convolves the concatenated sources with the W_li
    /// concatenated along input channels (a Concat of the shared initializers, which ONNX runtimes fold once).
    /// Dropout is the identity in eval mode and emits nothing.
    /// </summary>
    public string ExportOnnx(OnnxGraphBuilder g, string input)
    {
        int n = _layers;
        var x = new string[n + 1];
        x[0] = input;
        for (int i = 1; i <= n; i++) x[i] = ExportUpdate(g, i, StageISources(i), x, stage: 1);
        for (int i = 1; i <= n; i++) x[i] = ExportUpdate(g, i, StageIISources(i), x, stage: 2);
        return g.Concat(x[1..]);
    }

    private string ExportUpdate(OnnxGraphBuilder g, int i, int[] sources, string[] x, int stage)
    {
        var h = g.Relu(g.Emit(stage == 1 ? _norm1[i] : _norm2[i], g.Concat(sources.Select(l => x[l]).ToList())));
        var weight = g.Concat(sources.Select(l => g.Parameter(_w[l, i], "weight", _w[l, i].Weight)).ToList());
        var y = g.Node("Conv", [h, weight], ("kernel_shape", new[] { 2 * _padding + 1, 2 * _padding + 1 }),
                       ("pads", new[] { _padding, _padding, _padding, _padding }));
        if (_bottleneck != null)
            y = g.Emit(_bottleneck[i], g.Relu(g.Emit(stage == 1 ? _bottleneckNorm1![i] : _bottleneckNorm2![i], y)));
        return y;
    }
}
