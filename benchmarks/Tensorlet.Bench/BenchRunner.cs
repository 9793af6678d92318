using Tensorlet.Kernels.Cpu;

namespace Tensorlet.Bench;

/// <summary>Runs cases one after another on one device: set up, warm up, time, free — never two at once.</summary>
public static class BenchRunner
{
    /// <summary>
    /// Measures every case of <paramref name="cases"/> on <paramref name="device"/> and reports each result as soon as
    /// it is known (<paramref name="onResult"/>), so a long run shows progress.
    /// </summary>
    public static List<BenchResult> Run(IReadOnlyList<BenchCase> cases, Device device, TimingOptions timing, MachineCeilings? ceilings,
                                        Action<BenchResult>? onResult = null)
    {
        var results = new List<BenchResult>();
        foreach (var benchCase in cases)
        {
            Timing measured;
            using (var run = TensorletCases.Create(benchCase.Spec, device)) measured = BenchTimer.Measure(run.Run, timing);
            var result = BenchResult.From(benchCase, measured, ceilings, Threads.Count, device.Name);
            results.Add(result);
            onResult?.Invoke(result);
        }
        // Large inputs of a finished case would otherwise sit idle in the pool for the rest of the process.
        device.Backend.TrimPool();
        return results;
    }
}
