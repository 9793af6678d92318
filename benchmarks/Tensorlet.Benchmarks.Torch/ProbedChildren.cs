using System.Diagnostics;
using Spectre.Console;
using Tensorlet.Bench.Comparison;
using Tensorlet.Kernels.Cpu;

namespace Tensorlet.Benchmarks.Torch;

/// <summary>
/// Runs the comparison's children with the host watched: the driver's ceilings are probed before the first child and
/// after every child, so each child's figures sit between two bandwidth probes (<see cref="ChildProbes"/>). A block's
/// child beside a probe of a slowed host is run again, and a clean try takes its place.
/// </summary>
internal sealed class ProbedChildren(DriverOptions options, MachineCeilings first)
{
    private double _lastGBps = first.BandwidthGBps;
    private readonly Dictionary<ChildProbes, EngineRun> _tries = [];

    /// <summary>Every probe of the ceilings taken so far, the first one included.</summary>
    public List<MachineCeilings> Probes { get; } = [first];

    /// <summary>Every block child run so far, tries included, with the probes either side of it.</summary>
    public List<ChildProbes> Children { get; } = [];

    /// <summary>The best of <see cref="Probes"/>.</summary>
    public MachineCeilings Ceilings { get; private set; } = first;

    /// <summary>Runs the child of <paramref name="engine"/> for <paramref name="block"/> (try <paramref name="attempt"/>), then probes the ceilings.</summary>
    public EngineRun Run(string engine, int block, int attempt = 0)
    {
        var run = RunChild(engine, block, options, attempt: attempt);
        var after = MachineCeilings.Measure(options.Threads);
        Probes.Add(after);
        Ceilings = Ceilings.Best(after);
        var probed = new ChildProbes(engine, block, attempt, _lastGBps, after.BandwidthGBps);
        Children.Add(probed);
        _tries[probed] = run;
        _lastGBps = after.BandwidthGBps;
        return run;
    }

    /// <summary>
    /// Runs again, up to <see cref="ChildProbes.MaxTries"/> times each, every block child that ran beside a probe below
    /// <see cref="ChildProbes.SlowedFraction"/> of the best so far, and puts each block's kept try into
    /// <paramref name="runs"/>. Returns the kept try of every block.
    /// </summary>
    public IReadOnlyList<ChildProbes> RunAgainWhereSlowed(List<EngineRun> runs)
    {
        // Until no block's kept try is slowed but for those out of tries: a later, better probe raises the bar, so a
        // block judged clean at first can fall below it.
        while (Children.GroupBy(c => (c.Engine, c.Block)).Select(g => g.OrderBy(c => c.Try).ToList())
                       .FirstOrDefault(g => ChildProbes.Keep(g, ChildProbes.Best(Children)).SlowedAgainst(ChildProbes.Best(Children))
                                            && g[^1].Try < ChildProbes.MaxTries) is { } tries)
        {
            AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(tries[^1].ToString())}, below {100 * ChildProbes.SlowedFraction:F0}% of the run's best " +
                                   $"({ChildProbes.Best(Children):F1}): run again[/]");
            Run(tries[0].Engine, tries[0].Block, tries[^1].Try + 1);
        }
        var kept = ChildProbes.Kept(Children);
        foreach (var keep in kept.Where(k => k.Try > 0))
            runs[runs.FindIndex(r => r.Engine == keep.Engine && r.Block == keep.Block)] = _tries[keep];
        return kept;
    }

    /// <summary>
    /// Starts one child and waits for its report. <paramref name="only"/>: exact case names to run (a re-measure), instead
    /// of every case of the filter; <paramref name="attempt"/>: above 0 for a block's child run again in its place.
    /// </summary>
    public static EngineRun RunChild(string engine, int block, DriverOptions options, IReadOnlyList<string>? only = null, int attempt = 0)
    {
        string name = only != null ? $"remeasure{block}-{engine}.json" : attempt > 0 ? $"block{block}-{engine}-try{attempt}.json" : $"block{block}-{engine}.json";
        string result = Path.Combine(options.OutDir, name);
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

}
