using System.Text.Json;
using Tensorlet.Models;

namespace Tensorlet.Tests.Models;

/// <summary>
/// Parameters and forward FLOPs of every zoo model, counted on the meta device, equal what the full-size forward pass
/// counted before the meta device existed (recorded once from <c>tensorlet models --json</c> in Data/model-zoo).
/// </summary>
public class ModelZooCountTests
{
    private static readonly Dictionary<string, (long Params, double Flops)> Recorded = Load();

    private static Dictionary<string, (long, double)> Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "Data", "model-zoo", "params-flops.json")));
        return doc.RootElement.EnumerateArray().ToDictionary(
            e => e.GetProperty("name").GetString()!, e => (e.GetProperty("params").GetInt64(), e.GetProperty("flops").GetDouble()));
    }

    private static IEnumerable<string> Names => ModelZoo.All.Select(e => e.Name);

    [TestCaseSource(nameof(Names))]
    public void MetaCountsMatchTheRecordedFullSizeCounts(string name)
    {
        Assert.That(Recorded, Does.ContainKey(name), "a new zoo entry needs its counts recorded in Data/model-zoo/params-flops.json");
        var entry = ModelZoo.Get(name);
        using var onMeta = Device.Meta.AsDefault();
        using var model = entry.Create(entry.NativeInput[0], entry.NativeClasses, new Generator(0));
        var summary = model.Summary([1, .. entry.NativeInput]);
        Assert.That(summary.TotalParameters, Is.EqualTo(Recorded[name].Params), "parameters");
        Assert.That(summary.TotalFlops, Is.EqualTo(Recorded[name].Flops), "FLOPs");
    }
}
