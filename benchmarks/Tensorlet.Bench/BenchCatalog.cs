namespace Tensorlet.Bench;

/// <summary>A named case of <c>tensorlet bench</c>: "family/case[/pass]", e.g. "conv/b/fwd+bwd".</summary>
/// <param name="OnRequest">True for the long whole-model cases and VGG-11's layers, which run only when a filter names them.</param>
public sealed record BenchCase(string Name, string Family, CaseSpec Spec, bool OnRequest = false);

/// <summary>
/// The cases <c>tensorlet bench</c> runs, and the comparison harness runs in libtorch: square GEMMs, the six convolution
/// layers of the layer issue (a–f, batch 32, forward and forward+backward), and the memory-bound families at sizes well
/// beyond the L3 cache (element-wise, reductions, pooling, batch norm, softmax and cross-entropy).
/// </summary>
public static class BenchCatalog
{
    /// <summary>Batch of the convolution cases (the batch their libtorch figures in docs/performance.md were taken at).</summary>
    public const int ConvBatch = 32;

    /// <summary>
    /// The convolution layers a–f: a 3→64 32², b 64→64 32², c 128→128 16², d 256→256 8² (3×3, 'same'),
    /// e 64→256 32² 1×1, f 128→128 16² 3×3 with 32 groups.
    /// </summary>
    public static IReadOnlyList<(string Name, int C, int K, int Side, int Kernel, int Groups)> ConvLayers { get; } =
    [
        ("a", 3, 64, 32, 3, 1), ("b", 64, 64, 32, 3, 1), ("c", 128, 128, 16, 3, 1),
        ("d", 256, 256, 8, 3, 1), ("e", 64, 256, 32, 1, 1), ("f", 128, 128, 16, 3, 32),
    ];

    /// <summary>
    /// VGG-11-CIFAR's 3×3 convolutions from its fourth (name, C, K, side of the map): three quarters of its
    /// multiply-adds, half of them (L5–L8) on 4×4 and 2×2 maps, where a GEMM's shapes are least favourable.
    /// </summary>
    public static IReadOnlyList<(string Name, int C, int K, int Side)> VggLayers { get; } =
        [("L4", 256, 256, 8), ("L5", 256, 512, 4), ("L6", 512, 512, 4), ("L7", 512, 512, 2)];

    /// <summary>Batch of the whole-model cases (the CPU training batch the model issues compare with PyTorch at).</summary>
    public const int ModelBatch = 64;

    /// <summary>Every case, in the order they run and print (initialised after <see cref="ConvLayers"/> and <see cref="VggLayers"/>, which it reads).</summary>
    public static IReadOnlyList<BenchCase> All { get; } = Build();

    /// <summary>What runs without a filter: every case but the on-request ones (whole models and VGG's layers: a few minutes' more).</summary>
    public static IReadOnlyList<BenchCase> Default { get; } = All.Where(c => !c.OnRequest).ToList();

    /// <summary>
    /// Cases whose name matches <paramref name="pattern"/>: a glob with * and ? when it has either, else a substring;
    /// case-insensitive; several patterns separated by commas match a case when any one does. Null or empty gives
    /// <see cref="Default"/>.
    /// </summary>
    public static IReadOnlyList<BenchCase> Filter(string? pattern) =>
        string.IsNullOrEmpty(pattern) ? Default : All.Where(c => Matches(c.Name, pattern)).ToList();

    public static bool Matches(string name, string pattern) =>
        pattern.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Any(p => MatchesOne(name, p));

    private static bool MatchesOne(string name, string pattern)
    {
        if (!pattern.Contains('*') && !pattern.Contains('?')) return name.Contains(pattern, StringComparison.OrdinalIgnoreCase);
        var regex = "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".") + "$";
        return System.Text.RegularExpressions.Regex.IsMatch(name, regex, System.Text.RegularExpressions.RegexOptions.IgnoreCase);
    }

    private static List<BenchCase> Build()
    {
        var cases = new List<BenchCase>();
        void Add(string family, string name, CaseSpec spec, bool onRequest = false) =>
            cases.Add(new BenchCase($"{family}/{name}", family, spec, onRequest));

        foreach (int n in new[] { 256, 512, 1024, 2048, 4096 }) Add("gemm", n.ToString(), new GemmSpec(n, n, n));
        foreach (var (name, c, k, side, kernel, groups) in ConvLayers)
            foreach (bool backward in new[] { false, true })
                Add("conv", $"{name}/{(backward ? "fwd+bwd" : "fwd")}",
                    new ConvSpec(ConvBatch, c, k, side, side, kernel, 1, kernel / 2, groups, backward));

        // VGG-11-CIFAR's deeper convolutions at the whole-model cases' batch (64), on request: where that model's
        // training time goes, layer by layer (L8 has L7's shape).
        foreach (var (layer, c, k, side) in VggLayers)
            foreach (bool backward in new[] { false, true })
                Add("vgg-layer", $"{layer}/{(backward ? "fwd+bwd" : "fwd")}",
                    new ConvSpec(ModelBatch, c, k, side, side, 3, 1, 1, 1, backward), onRequest: true);
        const int Big = 16 << 20; // 64 MiB per tensor: twice the L3, so these measure memory, not cache
        foreach (var op in new[] { "add", "mul", "relu", "add-bias" }) Add("elementwise", op, new ElementwiseSpec(op, Big));
        foreach (var op in new[] { "sum-all", "sum-rows", "sum-cols", "max-rows" }) Add("reduce", op, new ReduceSpec(op, 4096, 4096));

        // Pooling and batch norm on CIFAR-network activations, batch 64.
        Add("pool", "max3x3s2/fwd", new PoolSpec("max", 64, 64, 32, 32, 3, 2, 1, false));
        Add("pool", "max3x3s2/fwd+bwd", new PoolSpec("max", 64, 64, 32, 32, 3, 2, 1, true));
        Add("pool", "avg2x2/fwd", new PoolSpec("avg", 64, 128, 32, 32, 2, 2, 0, false));
        Add("pool", "global-avg/fwd", new PoolSpec("global-avg", 64, 256, 8, 8, 1, 1, 0, false));
        Add("batchnorm", "train/fwd", new BatchNormSpec(64, 64, 32, 32, true, false));
        Add("batchnorm", "train/fwd+bwd", new BatchNormSpec(64, 64, 32, 32, true, true));
        Add("batchnorm", "eval/fwd", new BatchNormSpec(64, 64, 32, 32, false, false));

        // ImageNet-sized logits: 4096 rows of 1000 classes.
        Add("softmax", "fwd", new SoftmaxSpec("softmax", 4096, 1000, false));
        Add("softmax", "fwd+bwd", new SoftmaxSpec("softmax", 4096, 1000, true));
        Add("cross-entropy", "fwd+bwd", new SoftmaxSpec("cross-entropy", 4096, 1000, true));

        // Whole models, one per family (BenchModels), batch 64: a training step and forward-only inference.
        foreach (bool training in new[] { true, false })
            foreach (string model in BenchModels.Names)
                Add(training ? "train" : "infer", $"{model}/{ModelBatch}", ModelCase(model, ModelBatch, training),
                    onRequest: !(training && model == "resnet20-b"));
        Add("train", $"resnet20-b/{2 * ModelBatch}", ModelCase("resnet20-b", 2 * ModelBatch, true));
        return cases;
    }

    // FLOPs from shapes alone: one meta-device pass per model, milliseconds.
    private static ModelSpec ModelCase(string model, int batch, bool training) =>
        new(model, batch, training, 3, 32, BenchModels.ForwardFlops(model));
}
