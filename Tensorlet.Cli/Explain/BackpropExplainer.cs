using Tensorlet.Cli.Training;
using Tensorlet.Data;
using Tensorlet.NN;
using Tensorlet.Optim;

namespace Tensorlet.Cli.Explain;

/// <summary>
/// <c>tensorlet explain backprop</c>: one SGD step of a tiny model on a small seeded batch of the embedded Fashion-MNIST
/// sample, with the graph that <see cref="Tensor.Backward"/> walked printed as a tree (<see cref="Autograd.Graph"/>) and
/// the norm of the gradient that reached every node, parameters named as in the state dict.
/// </summary>
internal static class BackpropExplainer
{
    /// <summary>The models whose graph of one step fits a terminal.</summary>
    public static readonly string[] Models = ["mlp", "cnn"];

    public const string DotFile = "graph.dot", PngFile = "graph.png";

    public static void Run(string model, int batchSize, float learningRate, ulong seed, string? outDir, TextWriter o)
    {
        if (!Models.Contains(model))
            throw new ArgumentException($"explain backprop: --model must be {string.Join(" or ", Models)} (a larger model's graph does not fit a terminal), got '{model}'.");
        if (batchSize is <= 0 or > 64) throw new ArgumentException($"explain backprop: --batch must be 1 to 64, got {batchSize}.");
        if (learningRate <= 0) throw new ArgumentException($"explain backprop: --lr must be positive, got {learningRate}.");

        var train = FashionMnist.LoadSample(train: true);
        var generator = new Generator(seed);
        using var net = ModelFactory.Create(model, train.Channels, train.Height, train.Width, train.ClassCount, generator);
        using var optimizer = new SGD(net.Parameters(), learningRate);
        var loader = new DataLoader(train, batchSize, shuffle: true, generator: generator, prefetch: 1);
        using var batch = loader.Epoch().First();
        var names = new Dictionary<Tensor, string>(ReferenceEqualityComparer.Instance) { [batch.Images] = "images", [batch.Labels] = "labels" };
        foreach (var (name, p) in net.NamedParameters()) names[p] = name;

        using var scope = TensorScope.Begin();
        var loss = F.CrossEntropy(net.Call(batch.Images), batch.Labels);
        float before = loss.Item();
        o.WriteLine($"One training step of {model} ({net.ParameterCount():N0} parameters) on {batchSize} images of the embedded Fashion-MNIST sample (seed {seed}):");
        o.WriteLine($"  forward: loss = cross_entropy(model(images), labels) = {before:F4}");
        if (outDir != null) WriteDot(Autograd.Graph.ToDot(loss, names), outDir, o);
        using var recorder = Autograd.Graph.Record(loss, names);
        optimizer.ZeroGrad();
        loss.Backward();
        optimizer.Step();
        float after;
        using (GradMode.NoGrad()) after = F.CrossEntropy(net.Call(batch.Images), batch.Labels).Item();
        o.WriteLine($"  backward, then SGD (lr {learningRate}): every parameter moves by -lr * grad; the same batch's loss is now {after:F4}");
        o.WriteLine();
        o.WriteLine("The graph Backward walked, from the loss down to the leaves (op [output shape], then the norm of the gradient of the loss");
        o.WriteLine("with respect to that op's output; leaves are parameters, named as in the state dict, and the const inputs):");
        o.Write(recorder.ToText());
    }

    private static void WriteDot(string dot, string outDir, TextWriter o)
    {
        Directory.CreateDirectory(outDir);
        string dotPath = Path.Combine(outDir, DotFile), pngPath = Path.Combine(outDir, PngFile);
        File.WriteAllText(dotPath, dot);
        o.WriteLine($"  graph written to {dotPath}");
        if (GraphvizRenderer.TryRender(dotPath, pngPath) is { } problem) o.WriteLine($"  {problem}");
        else o.WriteLine($"  rendered by Graphviz to {pngPath}");
    }
}
