using Tensorlet.Models;
using Tensorlet.NN;

namespace Tensorlet.Tests.Models;

/// <summary>
/// DenseNet's and CliqueNet's blocks read their features from one <see cref="ConcatBuffer"/>; here each is run beside
/// the computation it replaced — a plain loop that rebuilds <c>Tensor.Cat</c> of the features at every layer — and
/// the outputs and every parameter's gradient must agree within 1e-5 (relative to the tensor's largest magnitude when
/// above 1: the clique block's Stage-II convolutions sum the same float32 products in another order, which moves the
/// last bits, and batch norm's backward can cancel those down to small elements).
/// </summary>
public class ConcatBufferBlockTests
{
    private const double Tolerance = 1e-5;

    [TestCase(false)]
    [TestCase(true)]
    public void DenseNetMatchesTheCatLoop(bool bottleneck)
    {
        using var model = new DenseNet([3, 2], growth: 4, initChannels: 6, bottleneck, compression: 0.5f, imageNetStem: false,
                                       numClasses: 5, inChannels: 3, generator: new Generator(0));
        RandomizeNorms(model, new Generator(1));
        using var scope = TensorScope.Begin();
        // Two images: the block's channel windows are then strided views, not dense tensors.
        var x = Tensor.Randn([2, 3, 8, 8], new Generator(2));
        var labels = Tensor.FromArray([1f, 4f], [2]);
        AssertSameOutputAndGradients(model, () => model.Call(x), () => CatDenseNet(model, x), y => F.CrossEntropy(y, labels));
    }

    [TestCase(3, false)]
    [TestCase(4, true)]
    public void CliqueBlockMatchesTheCatLoop(int layers, bool bottleneck)
    {
        const int c0 = 5, k = 3;
        using var block = new CliqueBlock(c0, layers, k, bottleneck, dropRate: 0f, generator: new Generator(0));
        // Random scales and shifts: a Stage-II batch norm whose channels were matched to the wrong layers would show.
        RandomizeNorms(block, new Generator(1));
        using var scope = TensorScope.Begin();
        var x = Tensor.Randn([2, c0, 6, 6], new Generator(2), requiresGrad: true);
        var weights = Tensor.Randn([2, layers * k, 6, 6], new Generator(3));
        AssertSameOutputAndGradients(block, () => block.Call(x), () => CatClique(block, x, layers, k, bottleneck).StageII,
                                     y => y.Mul(weights).Sum(), x);

        var (stageI, stageII) = block.ForwardStages(x);
        var reference = CatClique(block, x, layers, k, bottleneck);
        AssertClose(stageI, reference.StageI, "Stage-I");
        AssertClose(stageII, reference.StageII, "Stage-II");
    }

    // ---- the computations the blocks replaced -----------------------------------------------------------

    // DenseNet.Forward with each dense block written as the Cat loop.
    private static Tensor CatDenseNet(DenseNet model, Tensor x)
    {
        foreach (var (name, child) in Child(model, "features").NamedChildren())
            x = name.StartsWith("denseblock", StringComparison.Ordinal) ? CatDenseBlock(child, x) : child.Call(x);
        return Child(model, "classifier").Call(x.Relu().Mean([2, 3], keepDim: false));
    }

    private static Tensor CatDenseBlock(Module block, Tensor input)
    {
        var features = new List<Tensor> { input };
        foreach (var (_, layer) in block.NamedChildren()) features.Add(layer.Call(Tensor.Cat(features, 1)));
        return Tensor.Cat(features, 1);
    }

    // The clique block as it was: every update concatenates its sources, Stage-II in the order 1 … i−1 (refined),
    // i+1 … n (Stage-I). The block now reads Stage-II sources cyclically from i + 1, so its stage2_cyclic_norm{i} channels
    // are that rotation of these; the reference rotates the scale and shift back.
    private static (Tensor StageI, Tensor StageII) CatClique(CliqueBlock block, Tensor input, int n, int k, bool bottleneck)
    {
        var m = block.NamedChildren().ToDictionary(c => c.Name, c => c.Module);
        int padding = bottleneck ? 0 : 1;
        var x = new Tensor[n + 1];
        x[0] = input;
        Tensor Update(int i, int[] sources, int stage)
        {
            var joined = Tensor.Cat(sources.Select(l => x[l]).ToList(), 1);
            Tensor normed;
            if (stage == 1) normed = m[$"stage1_norm{i}"].Call(joined);
            else
            {
                var norm = (BatchNorm2d)m[$"stage2_cyclic_norm{i}"];
                int later = (n - i) * k, earlier = (i - 1) * k;
                Tensor Rotate(Tensor p) => Tensor.Cat([p.Narrow(0, later, earlier), p.Narrow(0, 0, later)]);
                normed = F.BatchNorm(joined, null, null, Rotate(norm.Weight!), Rotate(norm.Bias!), training: true, eps: norm.Eps);
            }
            var weight = Tensor.Cat(sources.Select(l => ((Conv2d)m[$"w{l}_{i}"]).Weight).ToList(), 1);
            var y = normed.Relu().Conv2d(weight, null, 1, padding);
            return bottleneck ? m[$"conv{i}"].Call(m[$"stage{stage}_bnorm{i}"].Call(y).Relu()) : y;
        }
        for (int i = 1; i <= n; i++) x[i] = Update(i, Enumerable.Range(0, i).ToArray(), stage: 1);
        var stageI = Tensor.Cat(x[1..], 1);
        for (int i = 1; i <= n; i++) x[i] = Update(i, Enumerable.Range(1, n).Where(l => l != i).ToArray(), stage: 2);
        return (stageI, Tensor.Cat(x[1..], 1));
    }

    /// <summary>
    /// A clique block saved before the shared buffer named its Stage-II norms stage2_norm{i}, in the other channel
    /// order; loading such a state dict must fail on those names, never give each channel another channel's statistics.
    /// </summary>
    [Test]
    public void AStateDictWithTheOldStageTwoNormNamesIsRefused()
    {
        using var block = new CliqueBlock(4, 3, 2, false, dropRate: 0f, generator: new Generator(0));
        var old = block.StateDict().ToDictionary(e => e.Key.Replace("stage2_cyclic_norm", "stage2_norm"), e => e.Value);
        var error = Assert.Throws<InvalidDataException>(() => block.LoadStateDict(old));
        Assert.That(error!.Message, Does.Contain("missing key 'stage2_cyclic_norm1.weight'").And.Contain("unexpected key 'stage2_norm1.weight'"));
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private static Module Child(Module parent, string name) => parent.NamedChildren().Single(c => c.Name == name).Module;

    private static void RandomizeNorms(Module model, Generator gen)
    {
        using var noGrad = GradMode.NoGrad();
        foreach (var (_, module) in model.NamedModules())
            if (module is BatchNorm2d bn)
            {
                bn.Weight!.CopyFrom(Tensor.Rand([bn.NumFeatures], gen).Add(0.5f));
                bn.Bias!.CopyFrom(Tensor.Randn([bn.NumFeatures], gen));
            }
    }

    // Runs ours and the reference through the same loss and compares outputs and gradients (of every parameter and of
    // the extra leaves).
    private static void AssertSameOutputAndGradients(Module model, Func<Tensor> ours, Func<Tensor> reference, Func<Tensor, Tensor> loss,
                                                     params Tensor[] leaves)
    {
        var watched = model.NamedParameters().Concat(leaves.Select((t, i) => ($"input {i}", t))).ToArray();
        (float[] Output, Dictionary<string, float[]> Grads) Run(Func<Tensor> forward)
        {
            var y = forward();
            loss(y).Backward();
            var grads = watched.ToDictionary(p => p.Item1, p => p.Item2.Grad!.ToArray());
            foreach (var (_, t) in watched)
            {
                t.Grad!.Dispose();
                t.Grad = null;
            }
            return (y.ToArray(), grads);
        }
        var a = Run(ours);
        var b = Run(reference);
        AssertClose(a.Output, b.Output, "output");
        foreach (var (name, _) in watched) AssertClose(a.Grads[name], b.Grads[name], $"gradient of {name}");
    }

    private static void AssertClose(Tensor actual, Tensor expected, string what)
    {
        Assert.That(actual.Shape, Is.EqualTo(expected.Shape), what);
        AssertClose(actual.ToArray(), expected.ToArray(), what);
    }

    private static void AssertClose(float[] actual, float[] expected, string what)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length), what);
        double scale = Math.Max(1, expected.Max(Math.Abs));
        for (int i = 0; i < actual.Length; i++)
            if (!(Math.Abs(actual[i] - expected[i]) <= Tolerance * scale))
                Assert.Fail($"{what}: element {i} is {actual[i]:g9}, the Cat loop gives {expected[i]:g9}");
    }
}
