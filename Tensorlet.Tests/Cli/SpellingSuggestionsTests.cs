using Tensorlet.Cli.Commands;

namespace Tensorlet.Tests.Cli;

/// <summary>The "did you mean" of mistyped option values.</summary>
public class SpellingSuggestionsTests
{
    [TestCase("sgd", "sgd", 0)]
    [TestCase("sdg", "sgd", 1)]
    [TestCase("kitten", "sitting", 3)]
    [TestCase("", "adam", 4)]
    [TestCase("resnet2", "resnet20", 1)]
    public void EditDistanceCountsASwapAsOneEdit(string a, string b, int expected)
    {
        Assert.That(SpellingSuggestions.EditDistance(a, b), Is.EqualTo(expected));
        Assert.That(SpellingSuggestions.EditDistance(b, a), Is.EqualTo(expected));
    }

    [Test]
    public void ClosestTakesTheNearestFirstAndTheNamesATypedPrefixBegins()
    {
        string[] known = ["resnet8", "resnet20", "resnet32", "densenet121", "densenet169", "vgg11"];
        Assert.That(SpellingSuggestions.Closest("resnet20x", known, 3), Is.EqualTo(new[] { "resnet20" }));
        Assert.That(SpellingSuggestions.Closest("DenseNet", known, 3), Is.EqualTo(new[] { "densenet121", "densenet169" }));
        Assert.That(SpellingSuggestions.Closest("transformer", known, 3), Is.Empty);
        Assert.That(SpellingSuggestions.Closest("resnet2", known, 2), Is.EqualTo(new[] { "resnet8", "resnet20" }));
    }

    [Test]
    public void OrListReadsAsASentence()
    {
        Assert.That(SpellingSuggestions.OrList(["a"]), Is.EqualTo("'a'"));
        Assert.That(SpellingSuggestions.OrList(["a", "b"]), Is.EqualTo("'a' or 'b'"));
        Assert.That(SpellingSuggestions.OrList(["a", "b", "c"]), Is.EqualTo("'a', 'b' or 'c'"));
    }
}
