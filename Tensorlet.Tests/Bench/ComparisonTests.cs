using Tensorlet.Bench;
using Tensorlet.Bench.Comparison;
using Tensorlet.Kernels.Cpu;

namespace Tensorlet.Tests.Bench;

/// <summary>
/// The libtorch harness's bookkeeping: each engine's children spread evenly through the run, the faster libtorch allocator setting is the
/// one compared, and the self-check flags a case whose median no majority of its engine's blocks corroborates within ±15%.
/// </summary>
public class ComparisonTests
{
    private static readonly BenchCase Gemm = BenchCatalog.All.Single(c => c.Name == "gemm/512");
    private static readonly MachineCeilings Ceilings = new(2, PeakGflops: 400, BandwidthGBps: 40);

    [Test]
    public void EachEnginesChildrenAreEvenlySpacedThroughTheRun()
    {
        var schedule = EngineRun.Schedule(4);
        Assert.That(schedule, Has.Count.EqualTo(12));
        Assert.That(schedule.Take(3), Is.EqualTo(new[] { (0, "tensorlet"), (0, "libtorch"), (0, "libtorch-nommap") }));
        foreach (string engine in EngineRun.Engines)
        {
            var at = schedule.Select((child, i) => (child, i)).Where(x => x.child.Engine == engine).ToList();
            Assert.That(at.Select(x => x.child.Block), Is.EqualTo(new[] { 0, 1, 2, 3 }), engine);
            // Never two of one engine's children back to back: a few minutes of a slowed host cannot hold two of its blocks.
            Assert.That(at.Zip(at.Skip(1), (a, b) => b.i - a.i), Is.All.EqualTo(EngineRun.Engines.Count), engine);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => EngineRun.Schedule(0));
    }

    [Test]
    public void MostBlocksBesideASlowedHostFailTheCheckWhateverTheirFigures()
    {
        var ms = new Dictionary<string, IReadOnlyList<double>> { ["gemm/512"] = [10.0, 10.1, 10.2] };
        Assert.That(SelfCheck.Of("tensorlet", ms, slowedBlocks: 1).Passed, Is.True);
        var most = SelfCheck.Of("tensorlet", ms, slowedBlocks: 2);
        Assert.That(most.Passed, Is.False);
        Assert.That(most.ToString(), Does.Contain("2 of its 3 blocks beside a slowed host"));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => SelfCheck.Of("tensorlet", ms, slowedBlocks: 4));
        Assert.That(ex!.Message, Does.Contain("tensorlet").And.Contain("has 3"));
    }

    [Test]
    public void SelfCheckPassesWhereAMajorityOfBlocksCorroborateTheMedian()
    {
        var check = SelfCheck.Of("libtorch", new Dictionary<string, IReadOnlyList<double>>
        {
            ["gemm/512"] = [10.0, 10.5, 11.0],
            ["conv/a/fwd"] = [2.0, 2.2, 2.25],
        });
        Assert.That(check.Passed, Is.True, check.ToString());
        // conv/a/fwd: median 2.2; the nearer other block (2.25) lies 2.3% from it, the nearer of gemm's 4.8%.
        Assert.That(check.WorstCase, Is.EqualTo("gemm/512"));
        Assert.That(check.WorstDeviation, Is.EqualTo(0.5 / 10.5).Within(1e-12));
        Assert.That(check.WorstSpread, Is.EqualTo(0.25 / 2.2).Within(1e-12));
        Assert.That(check.Unsettled, Is.Empty);
        Assert.That(check.ToString(), Does.StartWith("libtorch: PASS"));
    }

    [Test]
    public void OneSlowBlockAnywhereIsOutvoted()
    {
        // A whole child slowed by the host for minutes (1.2-1.5x on every case, seen on either engine): first, middle or
        // last block, the other two agree and the median stands.
        foreach (double[] ms in new[] { new[] { 6.5, 5.0, 4.8 }, new[] { 5.0, 6.5, 4.8 }, new[] { 4.8, 5.0, 6.5 } })
        {
            var check = SelfCheck.Of("tensorlet", new Dictionary<string, IReadOnlyList<double>> { ["conv/b/fwd"] = ms });
            Assert.That(check.Passed, Is.True, check.ToString());
            Assert.That(SelfCheck.ToMeasureAgain(new Dictionary<string, IReadOnlyList<double>> { ["conv/b/fwd"] = ms }), Is.Empty);
        }
    }

    [Test]
    public void SelfCheckFailsWhereNoMajorityAgrees()
    {
        var check = SelfCheck.Of("tensorlet", new Dictionary<string, IReadOnlyList<double>>
        {
            ["gemm/512"] = [10.0, 10.1, 9.9],
            ["conv/b/fwd"] = [4.0, 5.0, 6.0],
        });
        Assert.That(check.Passed, Is.False);
        Assert.That(check.WorstCase, Is.EqualTo("conv/b/fwd"));
        Assert.That(check.WorstDeviation, Is.EqualTo(0.2).Within(1e-12));
        Assert.That(check.Unsettled.Single().WithRemeasures, Is.Null);
        Assert.That(check.ToString(), Does.StartWith("tensorlet: FAIL").And.Contain("conv/b/fwd").And.Contain("not re-measured"));
    }

    [Test]
    public void MajorityDeviationIsHowFarMoreThanHalfTheFiguresReach()
    {
        Assert.That(SelfCheck.MajorityDeviation([5.0], 5.0), Is.EqualTo(0));
        Assert.That(SelfCheck.MajorityDeviation([4.0, 5.0, 7.0], 5.0), Is.EqualTo(0.2).Within(1e-12), "two of three: the median and 4.0");
        // Four figures need three within: deviations 0, 0.1, 0.2, 0.3 reach 0.2; with 7.0 instead of 6.0, 0.3.
        Assert.That(SelfCheck.MajorityDeviation([5.0, 5.5, 6.0, 3.5], 5.0), Is.EqualTo(0.2).Within(1e-12));
        Assert.That(SelfCheck.MajorityDeviation([5.0, 5.5, 7.0, 3.5], 5.0), Is.EqualTo(0.3).Within(1e-12));
        Assert.Throws<ArgumentException>(() => SelfCheck.MajorityDeviation([], 1.0));
    }

    [Test]
    public void AnUncorroboratedCasePassesOnlyWhereBlocksAndRemeasuresTogetherAgreeWithItsMedian()
    {
        var figures = new Dictionary<string, IReadOnlyList<double>>
        {
            ["gemm/512"] = [10.0, 10.1, 9.9],
            ["conv/b/fwd"] = [6.5, 5.0, 4.0],
        };
        Assert.That(SelfCheck.ToMeasureAgain(figures), Is.EqualTo(new[] { "conv/b/fwd" }));

        // Three fresh children land beside the median (5.0): four of six figures within 15%.
        var confirmed = SelfCheck.Of("tensorlet", figures, remeasured: Again(("conv/b/fwd", [5.3, 5.6, 4.6])));
        Assert.That(confirmed.Passed, Is.True, confirmed.ToString());
        Assert.That(confirmed.WorstDeviation, Is.EqualTo(0.2).Within(1e-12), "the blocks' own deviation is still reported");
        var u = confirmed.Unsettled.Single();
        Assert.That((u.Case, u.Confirmed, u.Blocks, u.Remeasures), Is.EqualTo(("conv/b/fwd", true, 3, 3)));
        // Deviations of all six: 0, 0.06, 0.08, 0.12, 0.2, 0.3; more than half of six is four, so 0.12.
        Assert.That(u.WithRemeasures, Is.EqualTo(0.12).Within(1e-12), "the fourth smallest deviation");
        Assert.That(confirmed.Passed, Is.EqualTo(u.WithRemeasures <= SelfCheck.Tolerance));
        Assert.That(confirmed.ToString(), Does.Contain("conv/b/fwd").And.Contain("3 re-measure(s)"));
    }

    [Test]
    public void RemeasuresThatScatterFailTheCheck()
    {
        var figures = new Dictionary<string, IReadOnlyList<double>> { ["conv/b/fwd"] = [6.5, 5.0, 4.0] };
        // Only one fresh child agrees with the median: the load moved under the run.
        var refuted = SelfCheck.Of("tensorlet", figures, remeasured: Again(("conv/b/fwd", [6.2, 5.1, 6.4])));
        Assert.That(refuted.Passed, Is.False, refuted.ToString());
        Assert.That(refuted.ToString(), Does.StartWith("tensorlet: FAIL").And.Contain("not confirmed"));
        // Three that agree confirm it.
        var agreed = SelfCheck.Of("tensorlet", figures, remeasured: Again(("conv/b/fwd", [5.2, 4.9, 5.4])));
        Assert.That(agreed.Passed, Is.True, agreed.ToString());
        Assert.That(agreed.ToString(), Does.Contain("median confirmed"));

        // A re-measure of another case confirms nothing, and a case listed with no figure was not measured again.
        Assert.That(SelfCheck.Of("tensorlet", figures, remeasured: Again(("gemm/512", [10.0]))).Passed, Is.False);
        var empty = SelfCheck.Of("tensorlet", figures, remeasured: Again(("conv/b/fwd", [])));
        Assert.That(empty.Passed, Is.False);
        Assert.That(empty.Unsettled.Single().WithRemeasures, Is.Null);
    }

    [Test]
    public void ARemeasureReplaysTheBlocksCasesUpToTheLastCaseToMeasureAgain()
    {
        string[] order = ["train/resnet20-b/64", "train/vgg11-cifar/64", "infer/resnet20-b/64", "infer/vgg11-cifar/64"];
        Assert.That(SelfCheck.RemeasureList(order, ["train/resnet20-b/64"]), Is.EqualTo(order[..1]), "the first case needs nothing before it");
        Assert.That(SelfCheck.RemeasureList(order, ["infer/resnet20-b/64", "train/vgg11-cifar/64"]), Is.EqualTo(order[..3]),
                    "inference meets the heap the training steps left, as in the blocks");
        Assert.That(SelfCheck.RemeasureList(order, []), Is.Empty);
        var ex = Assert.Throws<ArgumentException>(() => SelfCheck.RemeasureList(order, ["gemm/512"]));
        Assert.That(ex!.Message, Does.Contain("gemm/512"));
    }

    // Re-measures per case, as the driver hands them to the check.
    private static Dictionary<string, IReadOnlyList<double>> Again(params (string Case, double[] Ms)[] cases) =>
        cases.ToDictionary(c => c.Case, c => (IReadOnlyList<double>)c.Ms);

    [Test]
    public void EveryUncorroboratedCaseMustBeConfirmed()
    {
        var figures = new Dictionary<string, IReadOnlyList<double>>
        {
            ["conv/a/fwd"] = [3.0, 2.0, 1.5],
            ["conv/b/fwd"] = [6.5, 5.0, 4.0],
        };
        Assert.That(SelfCheck.ToMeasureAgain(figures), Is.EquivalentTo(new[] { "conv/a/fwd", "conv/b/fwd" }));
        var half = SelfCheck.Of("libtorch", figures, remeasured: Again(("conv/b/fwd", [5.0, 5.1, 4.9])));
        Assert.That(half.Passed, Is.False, half.ToString());
        var both = SelfCheck.Of("libtorch", figures, remeasured: Again(("conv/b/fwd", [5.0, 5.1, 4.9]), ("conv/a/fwd", [2.05, 2.0, 2.2])));
        Assert.That(both.Passed, Is.True, both.ToString());
    }
    [Test]
    public void AnInformationalCheckStillReportsItsCasesButSaysItDoesNotDecide()
    {
        var figures = new Dictionary<string, IReadOnlyList<double>> { ["conv/a/fwd"] = [2.0, 9.0, 5.0] };
        var check = SelfCheck.Of("libtorch", figures, informational: true);
        Assert.That(check.Passed, Is.False);
        Assert.That(check.Informational, Is.True);
        Assert.That(check.ToString(), Does.StartWith("libtorch: FAIL (informational)").And.Contain("conv/a/fwd"));
        Assert.That(SelfCheck.Of("libtorch", figures).Informational, Is.False, "a check decides unless told otherwise");
    }

    [Test]
    public void SelfCheckNamesTheEngineAndCaseWithoutFigures()
    {
        var ex = Assert.Throws<ArgumentException>(() => SelfCheck.Of("libtorch", new Dictionary<string, IReadOnlyList<double>> { ["gemm/512"] = [] }));
        Assert.That(ex!.Message, Does.Contain("libtorch").And.Contain("gemm/512"));
        ex = Assert.Throws<ArgumentException>(() => SelfCheck.Of("tensorlet", new Dictionary<string, IReadOnlyList<double>>()));
        Assert.That(ex!.Message, Does.Contain("tensorlet"));
    }

    [Test]
    public void RowComparesAgainstTheFasterLibtorchSetting()
    {
        var row = ComparisonRow.From(Gemm, [2.0, 2.2, 2.1], [3.0, 3.1, 2.9], [2.5, 2.6, 2.4], Ceilings);
        Assert.That(row.TorchVariant, Is.EqualTo("nommap"));
        Assert.That(row.TorchMs, Is.EqualTo(2.5));
        Assert.That(row.TensorletMs, Is.EqualTo(2.1));
        Assert.That(row.Ratio, Is.EqualTo(2.5 / 2.1).Within(1e-12));
        Assert.That(row.Unit, Is.EqualTo("GFLOP/s"));
        Assert.That(row.TensorletThroughput, Is.EqualTo(2.0 * 512 * 512 * 512 / 2.1e-3 / 1e9).Within(1e-9));
        Assert.That(row.TensorletPeakFraction, Is.EqualTo(row.TensorletThroughput / 400).Within(1e-12));
        Assert.That(row.Blocks, Is.EqualTo(3));

        var plain = ComparisonRow.From(Gemm, [2.0], [1.0], [1.5], Ceilings);
        Assert.That((plain.TorchVariant, plain.Ratio), Is.EqualTo(("default", 0.5)));
    }

    [Test]
    public void WholeModelRowsAreInImagesPerSecond()
    {
        var train = BenchCatalog.All.Single(c => c.Name == "train/resnet20-b/64");
        var row = ComparisonRow.From(train, [100.0], [80.0], [90.0], Ceilings);
        Assert.That(row.Unit, Is.EqualTo("images/s"));
        Assert.That(row.TensorletThroughput, Is.EqualTo(640).Within(1e-9));
        Assert.That(row.TorchThroughput, Is.EqualTo(800).Within(1e-9));
        Assert.That(row.Ratio, Is.EqualTo(0.8).Within(1e-12));
    }

    [Test]
    public void MarkdownStatesTheCeilingsTheSelfCheckAndEachRatio()
    {
        var rows = new[] { ComparisonRow.From(Gemm, [2.0], [3.0], [2.5], Ceilings) };
        var checks = new[] { new SelfCheck("tensorlet", "gemm/512", 0.02, 0.05), new SelfCheck("libtorch", "gemm/512", 0.3, 0.4) };
        string md = ComparisonMarkdown.Write(rows, Ceilings, checks, "test machine", "dotnet run -- --blocks 3");
        Assert.That(md, Does.Contain("FMA peak **400 GFLOP/s**").And.Contain("**40.0 GB/s**"));
        Assert.That(md, Does.Contain("tensorlet: PASS").And.Contain("libtorch: FAIL"));
        Assert.That(md, Does.Contain("| gemm/512 |").And.Contain("**1.25**").And.Contain("†"));
        Assert.That(md, Does.Contain("`dotnet run -- --blocks 3`"));
    }

    [Test]
    public void ReportsRoundTripAndAMissingOneIsNamed()
    {
        string path = Path.Combine(Path.GetTempPath(), $"tensorlet-engine-run-{Guid.NewGuid():N}.json");
        try
        {
            var result = new BenchResult("gemm/512", "gemm", "512×512 · 512×512", 2, 1.9, 5, 134, 0.4, "compute", null, null, null, 2, "libtorch",
                                         FmaBesideGflops: 455.5, BandwidthBesideGBps: 98.25);
            new EngineRun("libtorch", 1, [result], new Dictionary<string, long> { ["resnet20-b"] = 272_474 }).Save(path);
            var back = EngineRun.Load(path);
            Assert.That((back.Engine, back.Block), Is.EqualTo(("libtorch", 1)));
            Assert.That(back.Results.Single(), Is.EqualTo(result));
            Assert.That(back.Parameters["resnet20-b"], Is.EqualTo(272_474));
        }
        finally
        {
            File.Delete(path);
        }
        var ex = Assert.Throws<FileNotFoundException>(() => EngineRun.Load(path));
        Assert.That(ex!.Message, Does.Contain(path));
    }
}
