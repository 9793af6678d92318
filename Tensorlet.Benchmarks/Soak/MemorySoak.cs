using System.Globalization;
using Tensorlet.Data;
using Tensorlet.Models;
using Tensorlet.NN;
using Tensorlet.Optim;

namespace Tensorlet.Benchmarks.Soak;

/// <summary>
/// A long training run that watches memory instead of time: the CLI's default model (<c>cnn</c>, SmallCnn) trained
/// on the embedded Fashion-MNIST sample with the CLI's loop (data loader, one <see cref="TensorScope"/> per step, SGD
/// with momentum), memory sampled after a full collection at fixed steps. Leaks show as growth after warm-up: a graph
/// kept alive by a closure, a buffer never returned to the pool, a cache keyed by something that changes per step.
/// Run with <c>dotnet run -c Release --project Tensorlet.Benchmarks -- soak [--steps N] [--batch B]</c>; the exit code
/// is 1 when the last sample is not flat against the warm-up one.
/// </summary>
public static class MemorySoak
{
    /// <summary>The step after which every sample is compared with the first.</summary>
    public const int WarmUpStep = 100;

    /// <summary>
    /// How far the managed heap may drift from warm-up: the GC's own bookkeeping and tiered JIT data move it by a few
    /// kilobytes; a leak of even a small object per step over thousands of steps is far above it.
    /// </summary>
    public const long ManagedToleranceBytes = 256 * 1024;

    /// <summary>One sample: managed heap after a full collection, the GC's heap size, and the CPU pool's bytes.</summary>
    public readonly record struct Sample(long Step, long ManagedBytes, long HeapSizeBytes, long PooledBytes, long LiveBytes);

    /// <summary>Runs the soak for the <c>soak</c> argument of the benchmarks program.</summary>
    public static int Run(string[] args)
    {
        int steps = 10_000, batch = 8;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--steps" when i + 1 < args.Length: steps = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--batch" when i + 1 < args.Length: batch = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default:
                    Console.Error.WriteLine($"soak: unknown argument '{args[i]}'; usage: soak [--steps N] [--batch B]");
                    return 2;
            }
        }
        if (steps < WarmUpStep || batch <= 0)
        {
            Console.Error.WriteLine($"soak: --steps must be at least {WarmUpStep} and --batch positive (got {steps}, {batch})");
            return 2;
        }
        Console.WriteLine($"soak: model cnn (SmallCnn, the CLI default), batch {batch} of 1x28x28, SGD momentum 0.9, {steps:N0} steps, {Threads.Count} threads");
        Console.WriteLine("| step | managed bytes | GC heap bytes | pooled bytes | live bytes |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");
        var samples = Train(steps, batch, s =>
            Console.WriteLine($"| {s.Step:N0} | {s.ManagedBytes:N0} | {s.HeapSizeBytes:N0} | {s.PooledBytes:N0} | {s.LiveBytes:N0} |"));
        var problems = Problems(samples);
        foreach (var p in problems) Console.WriteLine("NOT FLAT: " + p);
        if (problems.Count == 0)
            Console.WriteLine($"flat: step {samples[^1].Step:N0} against step {WarmUpStep}: managed within {ManagedToleranceBytes / 1024} KiB, pooled and live bytes equal");
        return problems.Count == 0 ? 0 : 1;
    }

    /// <summary>The steps sampled: the warm-up step, 1000, then every 1000 up to <paramref name="steps"/> (and the last).</summary>
    public static IReadOnlyList<long> SampleSteps(long steps)
    {
        var list = new List<long> { WarmUpStep };
        for (long s = 1000; s <= steps; s += 1000) list.Add(s);
        if (list[^1] != steps) list.Add(steps);
        return list;
    }

    /// <summary>Trains for <paramref name="steps"/> steps, reporting each sample as it is taken.</summary>
    public static List<Sample> Train(long steps, int batchSize, Action<Sample>? report = null)
    {
        var generator = new Generator(1);
        var train = FashionMnist.LoadSample(train: true);
        using Module model = ModelZoo.Get("cnn").Create(train.Channels, train.ClassCount, generator);
        using var optimizer = new SGD(model.Parameters(), 0.05f, momentum: 0.9f);
        var loader = new DataLoader(train, batchSize, shuffle: true, generator: generator);
        var backend = Device.Cpu.Backend;
        var due = new Queue<long>(SampleSteps(steps));
        var samples = new List<Sample>();
        long step = 0;
        while (step < steps)
        {
            foreach (var batch in loader.Epoch())
            {
                using (TensorScope.Begin())
                {
                    var loss = F.CrossEntropy(model.Call(batch.Images), batch.Labels);
                    optimizer.ZeroGrad();
                    loss.Backward();
                    optimizer.Step();
                    loss.Item();
                    batch.Dispose();
                }
                step++;
                if (step == due.Peek())
                {
                    due.Dequeue();
                    Settle();
                    var s = new Sample(step, GC.GetTotalMemory(forceFullCollection: false), GC.GetGCMemoryInfo().HeapSizeBytes,
                                       backend.PooledBytes, backend.LiveBytes);
                    samples.Add(s);
                    report?.Invoke(s);
                }
                if (step == steps) break;
            }
        }
        return samples;
    }

    /// <summary>What is not flat between the warm-up sample and the last one; empty when all is well.</summary>
    public static List<string> Problems(IReadOnlyList<Sample> samples)
    {
        var first = samples[0];
        var last = samples[^1];
        var problems = new List<string>();
        long drift = last.ManagedBytes - first.ManagedBytes;
        if (Math.Abs(drift) > ManagedToleranceBytes)
            problems.Add($"managed heap moved by {drift:N0} bytes between step {first.Step} and step {last.Step} (tolerance {ManagedToleranceBytes:N0})");
        if (last.PooledBytes != first.PooledBytes)
            problems.Add($"pooled bytes {first.PooledBytes:N0} at step {first.Step}, {last.PooledBytes:N0} at step {last.Step}");
        if (last.LiveBytes != first.LiveBytes)
            problems.Add($"live bytes {first.LiveBytes:N0} at step {first.Step}, {last.LiveBytes:N0} at step {last.Step}");
        return problems;
    }

    // Finalizers return buffers that escaped a scope to the pool; let them run so a sample counts only what is held.
    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
