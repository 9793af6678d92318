using Tensorlet.Bench;
using Tensorlet.Bench.Comparison;

namespace Tensorlet.Benchmarks.Torch;

/// <summary>
/// One child process of the comparison: a single engine, alone in its process, runs every case (warm-up, then timed
/// runs) and writes an <see cref="EngineRun"/>. Only the engine measured is ever touched, so neither engine's threads
/// nor its allocator can disturb the other's figures. After each compute-bound case it probes the FMA rate
/// (<see cref="FmaBeside"/>), after each memory-bound one its working set's bandwidth (<see cref="BandwidthBeside"/>),
/// so each case is also judged against the machine as it ran that moment.
/// </summary>
internal static class EngineChild
{
    public static int Run(string engine, int block, IReadOnlyList<BenchCase> cases, TimingOptions timing, int threads, string resultPath)
    {
        var parameters = new Dictionary<string, long>();
        List<BenchResult> results;
        if (engine == "tensorlet")
        {
            Threads.Count = threads;
            var beside = new Dictionary<string, (double? Fma, double? Bandwidth)>();
            results = BenchRunner.Run(cases, Device.Cpu, timing, ceilings: null, onResult: r =>
            {
                var spec = cases.Single(c => c.Name == r.Name).Spec;
                beside[r.Name] = (FmaBeside.Measure(spec, r.Ms, threads), BandwidthBeside.Measure(spec, threads));
            });
            results = results.Select(r => r with { FmaBesideGflops = beside[r.Name].Fma, BandwidthBesideGBps = beside[r.Name].Bandwidth }).ToList();
            foreach (var m in cases.Select(c => c.Spec).OfType<ModelSpec>()) parameters[m.Model] = BenchModels.Parameters(m.Model);
        }
        else
        {
            TorchSharp.torch.set_num_threads(threads);
            TorchSharp.torch.set_num_interop_threads(1);
            results = [];
            foreach (var benchCase in cases)
            {
                Timing measured;
                using (var run = TorchCases.Create(benchCase.Spec, parameters)) measured = BenchTimer.Measure(run.Run, timing);
                results.Add(BenchResult.From(benchCase, measured, null, threads, engine) with
                {
                    FmaBesideGflops = FmaBeside.Measure(benchCase.Spec, measured.MedianMs, threads),
                    BandwidthBesideGBps = BandwidthBeside.Measure(benchCase.Spec, threads),
                });
            }
        }
        new EngineRun(engine, block, results, parameters).Save(resultPath);
        return 0;
    }
}
