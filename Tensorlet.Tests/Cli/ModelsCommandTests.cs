using System.Text.Json;
using Tensorlet.Models;

namespace Tensorlet.Tests.Cli;

/// <summary><c>tensorlet models --json</c> lists every configuration of the zoo with the fields tools rely on.</summary>
public class ModelsCommandTests
{
    [Test]
    public void JsonListsEveryModelWithParamsFlopsAndInput()
    {
        var (code, output) = CliProcess.Run(TimeSpan.FromMinutes(5), "models", "--json");
        Assert.That(code, Is.EqualTo(0), output);
        using var doc = JsonDocument.Parse(output);
        var rows = doc.RootElement.EnumerateArray().ToList();
        Assert.That(rows.Select(r => r.GetProperty("name").GetString()), Is.EqualTo(ModelZoo.All.Select(e => e.Name)));
        foreach (var r in rows)
        {
            var entry = ModelZoo.Get(r.GetProperty("name").GetString()!);
            using var model = entry.Create(entry.NativeInput[0], entry.NativeClasses, new Generator(0));
            Assert.That(r.GetProperty("params").GetInt64(), Is.EqualTo(model.ParameterCount()), entry.Name);
            Assert.That(r.GetProperty("flops").GetDouble(), Is.GreaterThan(0), entry.Name);
            Assert.That(r.GetProperty("input").EnumerateArray().Select(x => x.GetInt32()), Is.EqualTo(entry.NativeInput), entry.Name);
        }
    }
}
