using Tensorlet.Models.Analysis;

namespace Tensorlet.Tests.Models;

/// <summary>The pair-filter statistic μ_i = min_{j≠i} cos(φ_i, φ_j) and its histograms.</summary>
public class PairFilterTests
{
    [Test]
    public void FiltersWithTheirNegativesGiveMinusOne()
    {
        // 8 random filters [3, 3, 3] and their exact negatives: every filter's most negative partner is its mirror.
        var half = Tensor.Randn([8, 3, 3, 3], new Generator(5)).ToArray();
        var data = half.Concat(half.Select(v => -v)).ToArray();
        var weight = Tensor.FromArray(data, [16, 3, 3, 3]);
        var mu = PairFilterAnalysis.MinPairCosines(weight);
        Assert.That(mu, Has.Length.EqualTo(16));
        Assert.That(mu, Has.All.EqualTo(-1f).Within(1e-6f));
        var result = PairFilterAnalysis.Analyze(weight, bins: 10);
        Assert.That(result.Histogram.Counts[0], Is.EqualTo(16), "μ = −1 falls in the first bin");
    }

    [Test]
    public void RandomFiltersSpreadAboveMinusOne()
    {
        var weight = Tensor.Randn([32, 3, 5, 5], new Generator(9));
        var result = PairFilterAnalysis.Analyze(weight, bins: 20, new Generator(10));
        foreach (var mu in new[] { result.Mu, result.RandomMu })
        {
            Assert.That(mu, Has.All.GreaterThan(-0.9f).And.LessThan(0f));
            Assert.That(mu.Max() - mu.Min(), Is.GreaterThan(0.05f), "the statistic varies from filter to filter");
        }
        Assert.That(result.Histogram.Counts.Sum(), Is.EqualTo(32));
        Assert.That(result.RandomHistogram.Counts.Sum(), Is.EqualTo(32));
        Assert.That(result.Histogram.Edges, Has.Length.EqualTo(21));
        Assert.That(result.Histogram.Edges[0], Is.EqualTo(-1.0));
        Assert.That(result.Histogram.Edges[^1], Is.EqualTo(1.0));
    }

    [Test]
    public void RandomReferenceIsReproducible()
    {
        var weight = Tensor.Randn([6, 2, 3, 3], new Generator(1));
        var a = PairFilterAnalysis.Analyze(weight, 8, new Generator(4));
        var b = PairFilterAnalysis.Analyze(weight, 8, new Generator(4));
        Assert.That(a.RandomMu, Is.EqualTo(b.RandomMu));
    }

    [Test]
    public void HistogramPutsTheEndsInTheEndBins()
    {
        var h = Histogram.Of([-1f, -1.0000001f, 0f, 0.999f, 1f, 1.0000001f], 4);
        Assert.That(h.Counts, Is.EqualTo(new[] { 2, 0, 1, 3 }));
    }

    [Test]
    public void RejectsWeightsWithoutPartners()
    {
        Assert.Throws<ArgumentException>(() => PairFilterAnalysis.MinPairCosines(Tensor.Randn([1, 3, 3, 3], new Generator(0))));
        Assert.Throws<ArgumentOutOfRangeException>(() => Histogram.Of([0f], 0));
    }
}

/// <summary>
/// <c>tensorlet pair-filters</c> end to end, in-process: Program.cs does not list the command yet, so it is created
/// through its <c>Create()</c> (the type is internal to the CLI, hence the reflection).
/// </summary>
public class PairFiltersCommandTests
{
    private static int Run(params string[] args)
    {
        var type = System.Reflection.Assembly.Load("tensorlet").GetType("Tensorlet.Cli.Commands.PairFiltersCommand", throwOnError: true)!;
        var command = (System.CommandLine.Command)type.GetMethod("Create")!.Invoke(null, null)!;
        return command.Parse(args).Invoke(new System.CommandLine.InvocationConfiguration { EnableDefaultExceptionHandler = false });
    }

    [Test]
    public void AnalysesTheFirstConvOfACheckpointAndDrawsAPng()
    {
        var dir = Directory.CreateTempSubdirectory("pair-filters-");
        try
        {
            using var model = Tensorlet.Models.NetworkInNetwork.Cifar10(generator: new Generator(3));
            var tensors = model.StateDict().ToDictionary(kv => "model." + kv.Key, kv => kv.Value);
            string checkpoint = Path.Combine(dir.FullName, "ckpt.safetensors"), png = Path.Combine(dir.FullName, "mu.png");
            Tensorlet.IO.SafeTensors.Save(checkpoint, tensors);
            Assert.That(Run("--checkpoint", checkpoint, "--bins", "10", "--png", png), Is.EqualTo(0));
            Assert.That(new FileInfo(png).Length, Is.GreaterThan(0));
            Assert.That(Run("--checkpoint", checkpoint, "--layer", "block2.0.weight"), Is.EqualTo(0));
            Assert.That(Run("--checkpoint", checkpoint, "--layer", "model.block3.0.weight"), Is.EqualTo(0));
            Assert.Throws<ArgumentException>(() => Run("--checkpoint", checkpoint, "--layer", "block1.0.bias"));
            Assert.Throws<ArgumentException>(() => Run("--checkpoint", checkpoint, "--layer", "nope.weight"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
