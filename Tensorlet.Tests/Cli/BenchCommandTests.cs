using System.Text.Json;
using Tensorlet.Bench;

namespace Tensorlet.Tests.Cli;

/// <summary><c>tensorlet bench --json</c>: only JSON on stdout, one object per matching case, every figure present and positive.</summary>
public class BenchCommandTests
{
    private static List<JsonElement> RunJson(string filter)
    {
        var (code, output) = CliProcess.Run(TimeSpan.FromMinutes(3), "bench", "--quick", "--json", "--filter", filter);
        Assert.That(code, Is.EqualTo(0), output);
        // The whole output must parse: anything else printed (a table, a progress line) fails here.
        using var doc = JsonDocument.Parse(output);
        return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    [Test]
    public void JsonHasEveryFieldWithPositiveFigures()
    {
        var rows = RunJson("gemm/256");
        Assert.That(rows, Has.Count.EqualTo(1));
        var row = rows[0];
        Assert.That(row.GetProperty("name").GetString(), Is.EqualTo("gemm/256"));
        Assert.That(row.GetProperty("device").GetString(), Is.EqualTo("cpu"));
        Assert.That(row.GetProperty("threads").GetInt32(), Is.EqualTo(Environment.ProcessorCount));
        Assert.That(row.GetProperty("bound").GetString(), Is.EqualTo("compute"));
        foreach (var field in new[] { "ms", "msMin", "gflops", "gbps", "peakFraction", "peakGflops", "bandwidthGBps" })
            Assert.That(row.GetProperty(field).GetDouble(), Is.GreaterThan(0), field);
        // The fraction is of the ceilings the row states: a compute-bound case's GFLOP/s over the stated peak.
        Assert.That(row.GetProperty("peakFraction").GetDouble(),
                    Is.EqualTo(row.GetProperty("gflops").GetDouble() / row.GetProperty("peakGflops").GetDouble()).Within(1e-6).Percent);
        Assert.That(row.GetProperty("msMin").GetDouble(), Is.LessThanOrEqualTo(row.GetProperty("ms").GetDouble()));
        Assert.That(row.GetProperty("runs").GetInt32(), Is.GreaterThanOrEqualTo(TimingOptions.Quick.MinRuns));
        // GFLOP/s is the case's work over the median time, to print precision.
        double expected = 2.0 * 256 * 256 * 256 / (row.GetProperty("ms").GetDouble() / 1000) / 1e9;
        Assert.That(row.GetProperty("gflops").GetDouble(), Is.EqualTo(expected).Within(1e-6).Percent);
    }

    [Test]
    public void GlobFilterSelectsExactlyTheMatchingCases()
    {
        var rows = RunJson("reduce/sum-*");
        Assert.That(rows.Select(r => r.GetProperty("name").GetString()), Is.EqualTo(new[] { "reduce/sum-all", "reduce/sum-rows", "reduce/sum-cols" }));
        foreach (var row in rows)
        {
            Assert.That(row.GetProperty("bound").GetString(), Is.EqualTo("memory"));
            Assert.That(row.GetProperty("gbps").GetDouble(), Is.GreaterThan(0));
            Assert.That(row.GetProperty("gflops").GetDouble(), Is.GreaterThan(0));
        }
    }

    [Test]
    public void UnknownDeviceAndEmptyFilterFailWithAMessage()
    {
        var (code, output) = CliProcess.Run(TimeSpan.FromMinutes(1), "bench", "--quick", "--device", "tpu");
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Contain("Device 'tpu': expected cpu, cuda[:N]"));
        (code, output) = CliProcess.Run(TimeSpan.FromMinutes(1), "bench", "--quick", "--filter", "no-such-case");
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Contain("no case matches 'no-such-case'"));
    }

    [Test]
    public void ListShowsEveryCaseAndMarksTheOnRequestModels()
    {
        var (code, output) = CliProcess.Run(TimeSpan.FromMinutes(1), "bench", "--list");
        Assert.That(code, Is.EqualTo(0), output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains('\t')).ToList();
        Assert.That(lines.Select(l => l.Split('\t')[0]), Is.EqualTo(BenchCatalog.All.Select(c => c.Name)));
        Assert.That(lines.Single(l => l.StartsWith("infer/cliquenet-t12-k36/64\t")), Does.Contain("only when a filter names it"));
        Assert.That(lines.Single(l => l.StartsWith("train/resnet20-b/64\t")), Does.Not.Contain("only when"));
    }
}
