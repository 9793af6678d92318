using Tensorlet.Models;
using Tensorlet.NN;
using static Tensorlet.Tests.Models.ModelTestHelpers;

namespace Tensorlet.Tests.Models;

/// <summary>CliqueNet: parameter counts against the paper, weight sharing between the stages, shapes and gradients.</summary>
public class CliqueNetTests
{
    // Exact counts of the authors' TensorFlow layout (iboing/CliqueNet models/cliquenet.py + utils.py: 64-channel stem,
    // T/3 layers per block, W_ij without bias, separate BN scale/offset per stage, 1×1 transitions, BN on each pooled
    // block feature, FC with bias) for CIFAR-10, and the paper's Table 3 figures (also the repository README's Tab 3),
    // which their count_params() prints as total/1e6 with two decimals.
    [TestCase(12, 36, 935_994, 0.94)]
    [TestCase(15, 64, 4_485_706, 4.49)]
    [TestCase(15, 80, 6_937_546, 6.94)]
    [TestCase(18, 80, 10_135_594, 10.14)]
    public void CifarParameterCountsRoundToThePaper(int t, int k, long exact, double paperMillions)
    {
        using var model = CliqueNet.Cifar(t, k);
        long count = model.ParameterCount();
        Assert.That(count, Is.EqualTo(exact));
        Assert.That(Math.Round(count / 1e6, 2), Is.EqualTo(paperMillions));
    }

    // The FLOPs column of the same table (iboing/CliqueNet README, Tab 3: 0.91G, 4.21G, 6.45G, 9.45G; multiply-add = 2,
    // as its DenseNet-40 row, 0.53G, shows). Our count adds batch norm and pooling, so it may exceed the table by a little.
    [TestCase(12, 36, 0.91)]
    [TestCase(15, 64, 4.21)]
    [TestCase(15, 80, 6.45)]
    [TestCase(18, 80, 9.45)]
    public void CifarFlopsMatchThePaper(int t, int k, double paperGflops)
    {
        using var model = CliqueNet.Cifar(t, k, generator: new Generator(0));
        double gflops = model.Summary(1, 3, 32, 32).TotalFlops / 1e9;
        Assert.That(gflops, Is.InRange(paperGflops - 0.005, paperGflops * 1.01));
    }

    [Test]
    public void AttentionBottleneckCompressionCountMatchesTheAuthorsLayout()
    {
        // T=12, k=36 with if_a, if_b, if_c: the same layout summed by hand from utils.py (SE FCs C→C/2→C with bias,
        // 1×1 W_ij plus a 3×3 k→k per layer with its own BN per stage, compress BN-ReLU-1×1 to half) = 442,282.
        using var model = CliqueNet.Cifar(12, 36, attention: true, bottleneck: true, compression: true);
        Assert.That(model.ParameterCount(), Is.EqualTo(442_282));
    }

    [Test]
    public void BlockSharesEachInterLayerWeightBetweenTheStages()
    {
        // n layers: W_0i (n of them) and W_li for every ordered pair l ≠ i (n(n−1)), each registered once;
        // per-stage batch norms: Stage-I layer i reads c0 + (i−1)k channels, Stage-II reads (n−1)k.
        const int c0 = 5, n = 3, k = 4;
        using var block = new CliqueBlock(c0, n, k, bottleneck: false, dropRate: 0f, generator: new Generator(0));
        var names = block.NamedParameters().Select(p => p.Name).ToList();
        Assert.That(names.Count(s => s.StartsWith('w')), Is.EqualTo(n + n * (n - 1)));
        long convs = n * c0 * k * 9 + n * (n - 1) * k * k * 9;
        long norms = Enumerable.Range(1, n).Sum(i => 2L * (c0 + (i - 1) * k) + 2L * (n - 1) * k);
        Assert.That(block.ParameterCount(), Is.EqualTo(convs + norms));

        using var scope = TensorScope.Begin();
        // W_31 only exists in Stage-II (layer 1 refined from layer 3's Stage-I value), W_12 in both: both get gradients.
        var y = block.Call(Tensor.Randn([2, c0, 6, 6], new Generator(1)));
        Assert.That(y.Shape, Is.EqualTo(new[] { 2, n * k, 6, 6 }));
        y.Mul(y).Sum().Backward();
        foreach (var (name, p) in block.NamedParameters())
            Assert.That(p.Grad!.ToArray().Any(v => v != 0), Is.True, $"{name} got no gradient");
    }

    [Test]
    public void ForwardStagesReturnsStageIBesideTheBlockOutput()
    {
        using var block = new CliqueBlock(5, 3, 4, bottleneck: false, dropRate: 0f, generator: new Generator(0));
        block.Eval();
        using var scope = TensorScope.Begin();
        var x = Tensor.Randn([2, 5, 6, 6], new Generator(1));
        var (stageI, stageII) = block.ForwardStages(x);
        Assert.That(stageII.ToArray(), Is.EqualTo(block.Call(x).ToArray()), "Stage-II is what Forward returns");
        Assert.That(stageI.Shape, Is.EqualTo(new[] { 2, 12, 6, 6 }));
        // Layer n's Stage-I and Stage-II inputs differ (X₀ against the refined layers), so the stages differ.
        Assert.That(stageI.ToArray(), Is.Not.EqualTo(stageII.ToArray()));

        using var net = CliqueNet.Cifar(6, 4, 10, 1, dropRate: 0, generator: new Generator(2), stemChannels: 8);
        net.Eval();
        var stages = net.BlockStages(Tensor.Randn([1, 1, 12, 12], new Generator(3)));
        Assert.That(stages.Select(s => s.StageII.Shape), Is.EqualTo(new[] { new[] { 1, 8, 12, 12 }, new[] { 1, 8, 6, 6 }, new[] { 1, 8, 3, 3 } }));
        Assert.That(stages.Select(s => s.StageI.Shape), Is.EqualTo(stages.Select(s => s.StageII.Shape)));
    }

    [Test]
    public void T12K36MapsBatchesToLogits()
    {
        using var model = CliqueNet.T12K36(generator: new Generator(0));
        CheckForward(model, 3, 32, 10);
        using var gray = CliqueNet.T12K36(numClasses: 100, inChannels: 1, generator: new Generator(0));
        CheckForward(gray, 1, 28, 100);
    }

    [Test]
    public void BackwardGivesFiniteGradientsToEveryParameter()
    {
        // Small k and T, but every option on (attention, bottleneck, compression, dropout).
        using var model = new CliqueNet([2, 3], 4, numClasses: 10, inChannels: 1, attention: true, bottleneck: true,
                                        compression: true, dropRate: 0.2f, stemChannels: 8, generator: new Generator(0));
        BackwardGivesFiniteGrads(model, 1, 28, 10);
        using var plain = CliqueNet.Cifar(6, 8, generator: new Generator(1));
        BackwardGivesFiniteGrads(plain, 3, 32, 10);
    }

    [Test]
    public void ChannelAttentionScalesEachChannelByAGateInZeroOne()
    {
        using var attention = new ChannelAttention(6, generator: new Generator(0));
        using var scope = TensorScope.Begin();
        var x = Tensor.Ones([2, 6, 3, 3]);
        var y = attention.Call(x).ToArray();
        Assert.That(y.All(v => v > 0 && v < 1), Is.True);
    }

    [Test]
    public void SummaryCountsTheInterLayerConvolutionsOfEveryStage()
    {
        // Two blocks of n = 2 layers, k = 3, 5-channel stem, 1×8×8 input, no dropout. Hand count (multiply-add = 2,
        // batch norm 2 per element, average pools one add per window element, ReLU/flatten free):
        const double stem = 2.0 * 64 * 5 * 9;                                   // 1 → 5, 3×3, 8×8
        // Block 1 at 8×8, c₀ = 5: Stage-I layers read 5 and 5 + 3 channels, Stage-II layers read the other layer's 3.
        const double block1Convs = 2.0 * 64 * 3 * 9 * (5 + 8 + 3 + 3);
        const double block1Norms = 2.0 * 64 * (5 + 8 + 3 + 3);
        const double pool1 = 2.0 * 64 * 11 + 64 * 11;                           // BN + global pool of [X₀, Stage-II] = 11 ch
        const double transition = 2.0 * 64 * 6 + 2.0 * 64 * 6 * 6 + 16 * 6 * 4; // BN, 1×1 6 → 6, 2×2 average pool to 4×4
        // Block 2 at 4×4, c₀ = 6: Stage-I reads 6 and 9 channels, Stage-II 3 and 3.
        const double block2Convs = 2.0 * 16 * 3 * 9 * (6 + 9 + 3 + 3);
        const double block2Norms = 2.0 * 16 * (6 + 9 + 3 + 3);
        const double pool2 = 2.0 * 16 * 12 + 16 * 12;                           // 6 + 6 channels
        const double classifier = 2.0 * 4 * (11 + 12);
        const double expected = stem + block1Convs + block1Norms + pool1 + transition + block2Convs + block2Norms + pool2 + classifier;

        using var model = new CliqueNet([2, 2], 3, numClasses: 4, inChannels: 1, dropRate: 0f, stemChannels: 5, generator: new Generator(0));
        var summary = model.Summary(1, 1, 8, 8);
        Assert.That(expected, Is.EqualTo(101_304));
        Assert.That(summary.TotalFlops, Is.EqualTo(expected));
        var blocks = summary.Layers.Where(l => l.Type == nameof(CliqueBlock)).Select(l => l.Flops).ToArray();
        Assert.That(blocks, Is.EqualTo(new[] { block1Convs + block1Norms, block2Convs + block2Norms }));
    }

    [Test]
    public void BadTNamesTheRule() =>
        Assert.That(() => CliqueNet.Cifar(13, 36), Throws.ArgumentException.With.Message.Contains("multiple of 3"));
}
