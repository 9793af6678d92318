using Tensorlet.Models;
using Tensorlet.NN;

namespace Tensorlet.Tests.Export;

/// <summary>
/// <c>LoadStateDict(state, strict: false)</c> and <c>LoadSafeTensors(path, strict: false)</c>, like PyTorch: the shared
/// entries are copied and the others reported (to load a backbone under a new head); shape mismatches still throw and
/// then nothing is copied; strict loading keeps its all-problems message.
/// </summary>
[TestFixture]
public sealed class StateDictStrictTests
{
    private static ResNet Backbone(int classes, ulong seed) => ResNet.Cifar(8, classes, generator: new Generator(seed));

    /// <summary>The source's state with its head renamed, as a checkpoint of a model whose head has another name.</summary>
    private static Dictionary<string, Tensor> WithRenamedHead(Module source) =>
        source.StateDict().ToDictionary(e => e.Key.StartsWith("fc.", StringComparison.Ordinal) ? "classifier." + e.Key[3..] : e.Key, e => e.Value);

    [Test]
    public void NonStrictLoadCopiesTheBackboneAndReportsTheHead()
    {
        using var source = Backbone(10, 1);
        using var target = Backbone(5, 2);
        var headBefore = target.StateDict()["fc.weight"].ToArray();

        var keys = target.LoadStateDict(WithRenamedHead(source), strict: false);

        Assert.That(keys.MissingKeys, Is.EqualTo(new[] { "fc.weight", "fc.bias" }));
        Assert.That(keys.UnexpectedKeys, Is.EquivalentTo(new[] { "classifier.weight", "classifier.bias" }));
        Assert.That(keys.IsEmpty, Is.False);
        Assert.That(keys.ToString(), Does.Contain("missing_keys=['fc.weight', 'fc.bias']"));
        var from = source.StateDict();
        foreach (var (name, t) in target.StateDict().Where(e => !e.Key.StartsWith("fc.", StringComparison.Ordinal)))
            Assert.That(t.ToArray(), Is.EqualTo(from[name].ToArray()), name);
        Assert.That(target.StateDict()["fc.weight"].ToArray(), Is.EqualTo(headBefore), "the new head must keep its own weights");
    }

    [Test]
    public void StrictLoadStillListsEveryProblem()
    {
        using var source = Backbone(10, 1);
        using var target = Backbone(10, 2);
        var ex = Assert.Throws<InvalidDataException>(() => target.LoadStateDict(WithRenamedHead(source)));
        Assert.That(ex!.Message, Does.Contain("Error(s) in loading state dict for ResNet")
                                     .And.Contain("missing key 'fc.weight' (expected shape [10, 64])")
                                     .And.Contain("unexpected key 'classifier.bias'"));
    }

    [Test]
    public void StrictLoadOfAMatchingStateReportsNothing()
    {
        using var source = Backbone(10, 1);
        using var target = Backbone(10, 2);
        var keys = target.LoadStateDict(source.StateDict());
        Assert.That(keys.IsEmpty, Is.True);
        Assert.That(keys.ToString(), Is.EqualTo("<All keys matched successfully>"));
        Assert.That(target.StateDict()["fc.weight"].ToArray(), Is.EqualTo(source.StateDict()["fc.weight"].ToArray()));
    }

    [Test]
    public void ShapeMismatchThrowsEvenWhenNotStrictAndCopiesNothing()
    {
        using var source = Backbone(10, 1);
        using var target = Backbone(5, 2);
        var before = target.StateDict().ToDictionary(e => e.Key, e => e.Value.ToArray());
        var ex = Assert.Throws<InvalidDataException>(() => target.LoadStateDict(source.StateDict(), strict: false));
        Assert.That(ex!.Message, Does.Contain("size mismatch for 'fc.weight': checkpoint has [10, 64], model has [5, 64]"));
        foreach (var (name, t) in target.StateDict())
            Assert.That(t.ToArray(), Is.EqualTo(before[name]), $"{name} changed although the load threw");
    }

    [Test]
    public void NonStrictSafeTensorsLoadReturnsTheKeys()
    {
        using var source = Backbone(10, 1);
        using var target = Backbone(5, 2);
        string dir = Directory.CreateTempSubdirectory("tensorlet-strict-").FullName;
        try
        {
            string path = Path.Combine(dir, "backbone.safetensors");
            Tensorlet.IO.SafeTensors.Save(path, source.StateDict().Where(e => !e.Key.StartsWith("fc.", StringComparison.Ordinal))
                                                      .ToDictionary(e => e.Key, e => e.Value));
            var keys = target.LoadSafeTensors(path, strict: false);
            Assert.That(keys.MissingKeys, Is.EqualTo(new[] { "fc.weight", "fc.bias" }));
            Assert.That(keys.UnexpectedKeys, Is.Empty);
            Assert.That(target.StateDict()["conv1.weight"].ToArray(), Is.EqualTo(source.StateDict()["conv1.weight"].ToArray()));

            var ex = Assert.Throws<InvalidDataException>(() => target.LoadSafeTensors(path));
            Assert.That(ex!.Message, Does.StartWith(path).And.Contain("missing key 'fc.bias'"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
