using Spectre.Console;
using Tensorlet.Bench;
using Tensorlet.Bench.Comparison;
using Tensorlet.Kernels.Cpu;

namespace Tensorlet.Benchmarks.Torch;

/// <summary>Options of one comparison run (the command line of the harness).</summary>
internal sealed record DriverOptions(string? Filter, bool Quick, int Threads, int Blocks, string OutDir, string CommandLine);

/// <summary>
/// The comparison's driver: it measures nothing itself but the ceilings. Each block runs every engine in a child process
/// of its own — Tensorlet, libtorch with its default allocator, and libtorch with <c>MALLOC_MMAP_MAX_=0</c> and no heap trimming — one after
/// another, in the same order every block, so each engine's children are spread evenly through the run. A case's figure is the
/// median of its blocks; libtorch's is the faster of its two settings.
/// </summary>
internal static class Driver
{
    /// <summary>
    /// The cases both engines can run: every match of the filter but whole models without a TorchSharp twin; with
    /// <paramref name="only"/> (comma-separated exact names), just those of them.
    /// </summary>
    public static List<BenchCase> Cases(string? filter, string? only = null)
    {
        var cases = BenchCatalog.Filter(filter).Where(c => c.Spec is not ModelSpec m || TorchModels.Has(m.Model)).ToList();
        if (only == null) return cases;
        var names = only.Split(',');
        string? unknown = names.FirstOrDefault(n => cases.All(c => c.Name != n));
        if (unknown != null) throw new ArgumentException($"--cases: '{unknown}' is not a case of filter '{filter}'");
        return cases.Where(c => names.Contains(c.Name)).ToList();
    }

    public static int Run(DriverOptions options)
    {
        var cases = Cases(options.Filter);
        if (cases.Count == 0)
        {
            Console.Error.WriteLine($"no case matches '{options.Filter}'");
            return 2;
        }
        string loadBefore = LoadAverage();
        var ceilings = MachineCeilings.Measure(options.Threads);
        AnsiConsole.MarkupLine($"{cases.Count} case(s), {options.Blocks} block(s) of 3 engines, {options.Threads} thread(s); " +
                               $"FMA peak {ceilings.PeakGflops:F0} GFLOP/s, bandwidth {ceilings.BandwidthGBps:F1} GB/s. Load average: {Markup.Escape(loadBefore)}.");
        Directory.CreateDirectory(options.OutDir);
        var runs = new List<EngineRun>();
        // Probe every working-set size the cases' ceilings will need now, so the re-probes after each block cover them.
        foreach (var c in cases) ceilings.BandwidthAt(c.Spec.Bytes);
        // The ceilings again after every child: one probe can fall in a moment when the host lends a core elsewhere, and
        // each child's figures then sit between two bandwidth probes that say whether the host was slowed around it.
        var children = new ProbedChildren(options, ceilings);
        foreach (var (block, engine) in EngineRun.Schedule(options.Blocks))
        {
            var run = children.Run(engine, block);
            runs.Add(run);
            AnsiConsole.MarkupLine($"[grey]block {block + 1}/{options.Blocks}, {engine}: {run.Results.Count} case(s); {Markup.Escape(children.Children[^1].ToString())}[/]");
            if (engine == EngineRun.Engines[^1]) children.Ceilings.ReprobeWorkingSets();
        }
        var kept = children.RunAgainWhereSlowed(runs);
        string host = ChildProbes.Describe(children.Children);
        AnsiConsole.MarkupLine(Markup.Escape(host));
        var probes = children.Probes;
        ceilings = children.Ceilings;
        // The children's probes beside each memory-bound case count too: a working set the caches hold streams at what the
        // host's other tenants leave it, and the moments the cases ran in are the ones that matter.
        int beside = 0;
        foreach (var run in runs)
            foreach (var result in run.Results)
                if (result.BandwidthBesideGBps is { } gbps && gbps > 0)
                {
                    ceilings = ceilings.WithProbeAt(BandwidthBeside.ProbeBytes(cases.Single(c => c.Name == result.Name).Spec)!.Value, gbps);
                    beside++;
                }
        AnsiConsole.MarkupLine($"Ceilings, the best of {probes.Count} probes (and of {beside} working-set probes beside the memory-bound cases): FMA peak {ceilings.PeakGflops:F0} GFLOP/s " +
                               $"(probes {string.Join(", ", probes.Select(p => p.PeakGflops.ToString("F0")))}), main-memory bandwidth " +
                               $"{ceilings.BandwidthGBps:F1} GB/s (probes {string.Join(", ", probes.Select(p => p.BandwidthGBps.ToString("F1")))}).");

        // Each engine's milliseconds per case, in block order.
        IReadOnlyList<double> Ms(string engine, string name) =>
            runs.Where(r => r.Engine == engine).OrderBy(r => r.Block).Select(r => r.Results.Single(x => x.Name == name).Ms).ToList();
        // ...and the FMA rate each child probed right after the case, where it probed one.
        IReadOnlyList<double?> Fma(string engine, string name) =>
            runs.Where(r => r.Engine == engine).OrderBy(r => r.Block).Select(r => r.Results.Single(x => x.Name == name).FmaBesideGflops).ToList();
        var rows = cases.Select(c => ComparisonRow.From(c, Ms("tensorlet", c.Name), Ms("libtorch", c.Name), Ms("libtorch-nommap", c.Name), ceilings,
                                                        new FmaBesideFigures(Fma("tensorlet", c.Name), Fma("libtorch", c.Name), Fma("libtorch-nommap", c.Name)))).ToList();
        // The check that decides: the figures the table compares — Tensorlet's, and libtorch's under the setting each case
        // compares with. Each child's own check is printed too; a losing allocator setting's (glibc's default one faults
        // pages in afresh on this VM and swings by several times) cannot fail the run.
        string ComparedEngine(string name) => rows.Single(r => r.Name == name).TorchVariant == "nommap" ? "libtorch-nommap" : "libtorch";
        var ours = cases.ToDictionary(c => c.Name, c => Ms("tensorlet", c.Name));
        var compared = cases.ToDictionary(c => c.Name, c => Ms(ComparedEngine(c.Name), c.Name));
        // A case whose blocks do not corroborate its median is measured again in as many fresh children of its engine as
        // the run had blocks: where a majority of all its children then agree with the median, the median stands.
        string Ours(string name) => "tensorlet";
        var remeasured = Remeasure(SelfCheck.ToMeasureAgain(ours).Select(n => (Ours(n), n))
                                                   .Concat(SelfCheck.ToMeasureAgain(compared).Select(n => (ComparedEngine(n), n))), cases, options);
        // Each case's re-measures by the engine whose figure the check judges (engineOf), where it was measured again.
        IReadOnlyDictionary<string, IReadOnlyList<double>> Again(Func<string, string> engineOf) =>
            cases.Where(c => remeasured.ContainsKey((engineOf(c.Name), c.Name)))
                 .ToDictionary(c => c.Name, c => (IReadOnlyList<double>)remeasured[(engineOf(c.Name), c.Name)]);
        // Blocks whose kept child still ran beside a slowed host, per engine; libtorch's compared figures take the worse
        // of the settings any case compares with.
        double bestGBps = ChildProbes.Best(children.Children);
        int Slowed(string engine) => kept.Count(k => k.Engine == engine && k.SlowedAgainst(bestGBps));
        var checks = new List<SelfCheck>
        {
            SelfCheck.Of("tensorlet", ours, remeasured: Again(Ours), slowedBlocks: Slowed("tensorlet")),
            SelfCheck.Of("libtorch (the compared setting per case)", compared, remeasured: Again(ComparedEngine),
                         slowedBlocks: cases.Select(c => Slowed(ComparedEngine(c.Name))).Max()),
        };
        checks.AddRange(EngineRun.Engines.Where(e => e != "tensorlet")
                                 .Select(e => SelfCheck.Of(e, cases.ToDictionary(c => c.Name, c => Ms(e, c.Name)), informational: true, slowedBlocks: Slowed(e))));
        bool parametersEqual = CheckParameters(runs);

        ComparisonReport.Print(rows, ceilings, checks, host);
        string loadAfter = LoadAverage();
        AnsiConsole.MarkupLine($"Load average (1, 5, 15 min) before: {Markup.Escape(loadBefore)}; after: {Markup.Escape(loadAfter)}.");
        string machine = $"{Environment.ProcessorCount} logical CPU(s), {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, load average {loadBefore} → {loadAfter}";
        File.WriteAllText(Path.Combine(options.OutDir, "results.md"), ComparisonMarkdown.Write(rows, ceilings, checks, machine, options.CommandLine, host));
        ComparisonReport.WriteJson(rows, checks, ceilings, children.Children, loadBefore, loadAfter, Path.Combine(options.OutDir, "results.json"));
        ComparisonReport.WriteCsv(rows, Path.Combine(options.OutDir, "results.csv"));
        ComparisonPlot.Save(rows, ceilings, Path.Combine(options.OutDir, "bench.png"));
        AnsiConsole.MarkupLine($"Wrote {Markup.Escape(options.OutDir)}/results.md, results.json, results.csv and bench.png.");
        return checks.All(c => c.Passed || c.Informational) && parametersEqual ? 0 : 1;
    }

    // Each (engine, case) measured again after the blocks, in as many rounds as the run had blocks: per round one child
    // per engine with cases to measure again, in the blocks' engine order. A child runs the block's
    // cases up to its engine's last such case, so each case meets the process state it met in the blocks: libtorch's
    // inference alone in a fresh process, with glibc's default allocator, ran 2× slower than after the training step
    // (whose large frees raise the allocator's mmap threshold). Milliseconds per (engine, case), in round order.
    private static Dictionary<(string Engine, string Case), List<double>> Remeasure(IEnumerable<(string Engine, string Case)> unsettled,
                                                                                   IReadOnlyList<BenchCase> cases, DriverOptions options)
    {
        var again = new Dictionary<(string, string), List<double>>();
        var order = cases.Select(c => c.Name).ToList();
        var groups = unsettled.GroupBy(d => d.Engine).ToDictionary(g => g.Key, g => SelfCheck.RemeasureList(order, g.Select(d => d.Case)));
        foreach (var (engine, names) in groups)
            AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(engine)}: case(s) no majority of whose blocks lies within ±{100 * SelfCheck.Tolerance:F0}% of the median measured again in " +
                                   $"{options.Blocks} fresh child(ren), each running {Markup.Escape(string.Join(", ", names))}[/]");
        for (int round = 0; round < options.Blocks; round++)
            foreach (string engine in EngineRun.Engines.Where(groups.ContainsKey))
            {
                var run = ProbedChildren.RunChild(engine, round, options, groups[engine]);
                foreach (var result in run.Results)
                {
                    if (!again.TryGetValue((engine, result.Name), out var ms)) again[(engine, result.Name)] = ms = [];
                    ms.Add(result.Ms);
                }
            }
        return again;
    }

    // Every whole model must have as many parameters in libtorch as in Tensorlet, or the two are not the same network.
    private static bool CheckParameters(List<EngineRun> runs)
    {
        bool allEqual = true;
        var ours = runs.First(r => r.Engine == "tensorlet").Parameters;
        var theirs = runs.First(r => r.Engine == "libtorch").Parameters;
        foreach (var (model, count) in ours)
        {
            long other = theirs.GetValueOrDefault(model, -1);
            bool equal = other == count;
            allEqual &= equal;
            AnsiConsole.MarkupLine($"parameters of {Markup.Escape(model)}: Tensorlet {count:N0}, libtorch {other:N0} " +
                                   (equal ? "[green]equal[/]" : "[red]DIFFER: not the same network[/]"));
        }
        return allEqual;
    }

    // The first three fields of /proc/loadavg ("" where there is none).
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "";
}
