using System.Text.Json;
using Tensorlet.Models;

namespace Tensorlet.Tests.Cli;

/// <summary><c>tensorlet models --json</c> lists every configuration of the zoo with the fields tools rely on.</summary>
public class ModelsCommandTests
{
    [Test]
    public void JsonListsEveryModelWithParamsFlopsAndInput()
    {
        // Counted on the meta device, the whole zoo takes about a second (it took a minute of full-size forward passes).
        var (code, output) = CliProcess.Run(TimeSpan.FromMinutes(1), "models", "--json");
        Assert.That(code, Is.EqualTo(0), output);
        using var doc = JsonDocument.Parse(output);
        var rows = doc.RootElement.EnumerateArray().ToList();
        Assert.That(rows.Select(r => r.GetProperty("name").GetString()), Is.EqualTo(ModelZoo.All.Select(e => e.Name)));
        using var recorded = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "Data", "model-zoo", "params-flops.json")));
        var expected = recorded.RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
        foreach (var r in rows)
        {
            var entry = ModelZoo.Get(r.GetProperty("name").GetString()!);
            Assert.That(r.GetProperty("params").GetInt64(), Is.EqualTo(expected[entry.Name].GetProperty("params").GetInt64()), entry.Name);
            Assert.That(r.GetProperty("flops").GetDouble(), Is.EqualTo(expected[entry.Name].GetProperty("flops").GetDouble()), entry.Name);
            Assert.That(r.GetProperty("input").EnumerateArray().Select(x => x.GetInt32()), Is.EqualTo(entry.NativeInput), entry.Name);
        }
    }
}
