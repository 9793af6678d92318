using System.Diagnostics;
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
/// another, in an order that alternates between blocks, so all three see the same machine load. A case's figure is the
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
        var probes = new List<MachineCeilings> { ceilings };
        // Probe every working-set size the cases' ceilings will need now, so the re-probes after each block cover them.
        foreach (var c in cases) ceilings.BandwidthAt(c.Spec.Bytes);
        for (int block = 0; block < options.Blocks; block++)
        {
            foreach (string engine in EngineRun.Order(block))
            {
                var run = RunChild(engine, block, options);
                runs.Add(run);
                AnsiConsole.MarkupLine($"[grey]block {block + 1}/{options.Blocks}, {engine}: {run.Results.Count} case(s)[/]");
            }
            // The ceilings again after every block: one probe can fall in a moment when the host lends a core elsewhere.
            probes.Add(MachineCeilings.Measure(options.Threads));
            ceilings = ceilings.Best(probes[^1]);
            ceilings.ReprobeWorkingSets();
        }
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
        var checks = new List<SelfCheck>
        {
            SelfCheck.Of("tensorlet", ours, remeasured: Again(Ours)),
            SelfCheck.Of("libtorch (the compared setting per case)", compared, remeasured: Again(ComparedEngine)),
        };
        checks.AddRange(EngineRun.Engines.Where(e => e != "tensorlet")
                                 .Select(e => SelfCheck.Of(e, cases.ToDictionary(c => c.Name, c => Ms(e, c.Name)), informational: true)));
        bool parametersEqual = CheckParameters(runs);

        ComparisonReport.Print(rows, ceilings, checks);
        string loadAfter = LoadAverage();
        AnsiConsole.MarkupLine($"Load average (1, 5, 15 min) before: {Markup.Escape(loadBefore)}; after: {Markup.Escape(loadAfter)}.");
        string machine = $"{Environment.ProcessorCount} logical CPU(s), {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, load average {loadBefore} → {loadAfter}";
        File.WriteAllText(Path.Combine(options.OutDir, "results.md"), ComparisonMarkdown.Write(rows, ceilings, checks, machine, options.CommandLine));
        ComparisonReport.WriteJson(rows, checks, ceilings, loadBefore, loadAfter, Path.Combine(options.OutDir, "results.json"));
        ComparisonReport.WriteCsv(rows, Path.Combine(options.OutDir, "results.csv"));
        ComparisonPlot.Save(rows, ceilings, Path.Combine(options.OutDir, "bench.png"));
        AnsiConsole.MarkupLine($"Wrote {Markup.Escape(options.OutDir)}/results.md, results.json, results.csv and bench.png.");
        return checks.All(c => c.Passed || c.Informational) && parametersEqual ? 0 : 1;
    }

    // Each (engine, case) measured again after the blocks, in as many rounds as the run had blocks: per round one child
    // per engine with cases to measure again, the engines' order alternating like the blocks'. A child runs the block's
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
            foreach (string engine in EngineRun.Order(round).Where(groups.ContainsKey))
            {
                var run = RunChild(engine, round, options, groups[engine]);
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

    // only: exact case names to run (a re-measure), instead of every case of the filter.
    private static EngineRun RunChild(string engine, int block, DriverOptions options, IReadOnlyList<string>? only = null)
    {
        string result = Path.Combine(options.OutDir, only == null ? $"block{block}-{engine}.json" : $"remeasure{block}-{engine}.json");
        var psi = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        // Under `dotnet harness.dll` the process is dotnet itself: the child needs the assembly named again.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") psi.ArgumentList.Add(typeof(Driver).Assembly.Location);
        foreach (string a in new[] { "--engine", engine, "--block", block.ToString(), "--threads", options.Threads.ToString(), "--result", result })
            psi.ArgumentList.Add(a);
        if (options.Filter != null) { psi.ArgumentList.Add("--filter"); psi.ArgumentList.Add(options.Filter); }
        if (options.Quick) psi.ArgumentList.Add("--quick");
        if (only != null) { psi.ArgumentList.Add("--cases"); psi.ArgumentList.Add(string.Join(',', only)); }
        // glibc then never returns freed memory to the kernel — no munmap of large blocks, and no trimming of the heap's
        // top, which MALLOC_MMAP_MAX_=0 alone still does — so a call's outputs are not faulted in afresh. Measured on this
        // VM: with MALLOC_MMAP_MAX_=0 alone libtorch ran conv a forward at 5 GFLOP/s (each page fault is costly here),
        // with the trim threshold raised too at 126.
        if (engine == "libtorch-nommap")
        {
            psi.Environment["MALLOC_MMAP_MAX_"] = "0";
            psi.Environment["MALLOC_TRIM_THRESHOLD_"] = "68719476736";
        }
        else
        {
            psi.Environment.Remove("MALLOC_MMAP_MAX_");
            psi.Environment.Remove("MALLOC_TRIM_THRESHOLD_");
        }
        using var child = Process.Start(psi) ?? throw new InvalidOperationException($"comparison: could not start the {engine} child.");
        child.WaitForExit();
        if (child.ExitCode != 0)
            throw new InvalidOperationException($"comparison: the {engine} child of block {block + 1} exited with code {child.ExitCode}.");
        return EngineRun.Load(result);
    }

    // The first three fields of /proc/loadavg ("" where there is none).
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "";
}
