using System.Diagnostics;
using Tensorlet.Kernels.Cpu;
using Tensorlet.Kernels.Cpu.Conv;

namespace Tensorlet.Benchmarks.Convolution;

/// <summary>
/// Two routes of the CPU convolution on the same layers, alternating call by call in one process, so both see the same
/// machine even when other work comes and goes: <c>winograd-ratio [rounds] [layers]</c> times im2col against Winograd,
/// <c>direct-ratio [rounds] [layers]</c> the im2col weight gradient against <see cref="DirectWeightGradient"/>. Layers
/// are b, c, d or a comma-separated list of <see cref="ConvLayers"/> names; batch 64, 2 threads. Prints the median time
/// of each pass (forward, input gradient, weight gradient, and their sum) and the ratio of the medians; it is the
/// ratio to read.
/// </summary>
public static class RouteRatio
{
    /// <summary>One route to compare: its name and how to select it.</summary>
    private sealed record Route(string Name, Action Select);

    private static readonly Route[] Winograd =
    [
        new("im2col", () => CpuConvolution.Algorithm = ConvAlgorithms.Im2col),
        new("winograd", () => CpuConvolution.Algorithm = ConvAlgorithms.Winograd),
    ];

    private static readonly Route[] Direct =
    [
        new("im2col", () => DirectWeightGradient.Enabled = false),
        new("direct", () => DirectWeightGradient.Enabled = true),
    ];

    private const int Batch = 64, Warmup = 30;

    /// <summary>Runs <c>winograd-ratio</c> (<paramref name="direct"/> false) or <c>direct-ratio</c>.</summary>
    public static int Run(string[] args, bool direct)
    {
        string command = direct ? "direct-ratio" : "winograd-ratio";
        int rounds = 15;
        if (args.Length > 2 || args.Length > 0 && (!int.TryParse(args[0], out rounds) || rounds < 1))
        {
            Console.Error.WriteLine($"{command}: expected a positive number of rounds and optionally layers, got '{string.Join(' ', args)}'; " +
                                    $"usage: {command} [rounds] [b,c,d]");
            return 2;
        }
        string[] layers = args.Length > 1 ? args[1].Split(',') : ["b", "c", "d"];
        Threads.Count = 2;
        var saved = CpuConvolution.Algorithm;
        try
        {
            foreach (var layer in layers) Measure(layer, rounds, direct ? Direct : Winograd);
        }
        finally
        {
            CpuConvolution.Algorithm = saved;
            DirectWeightGradient.Enabled = true;
        }
        return 0;
    }

    private static void Measure(string layer, int rounds, Route[] routes)
    {
        using var buffers = new ConvBuffers(ConvLayers.Geometry(layer, Batch));
        Action[] passes = [buffers.Forward, buffers.BackwardInput, buffers.BackwardWeight];
        string[] names = ["forward", "input grad", "weight grad", "all three"];
        var times = new double[routes.Length, names.Length, rounds];
        // Enough calls for the JIT to reach its optimised code before anything is timed.
        foreach (var route in routes)
        {
            route.Select();
            for (int i = 0; i < Warmup; i++) foreach (var pass in passes) pass();
        }
        var clock = new Stopwatch();
        for (int r = 0; r < rounds; r++)
        for (int a = 0; a < routes.Length; a++)
        {
            routes[a].Select();
            for (int p = 0; p < passes.Length; p++)
            {
                clock.Restart();
                passes[p]();
                times[a, p, r] = clock.Elapsed.TotalMilliseconds;
                times[a, passes.Length, r] += times[a, p, r];
            }
        }
        for (int p = 0; p < names.Length; p++)
        {
            double first = Median(times, 0, p, rounds), second = Median(times, 1, p, rounds);
            Console.WriteLine($"{layer,-10} {names[p],-12} {routes[0].Name} {first,8:F2} ms   {routes[1].Name} {second,8:F2} ms   " +
                              $"{routes[0].Name}/{routes[1].Name} {first / second:F2}");
        }
    }

    private static double Median(double[,,] times, int algorithm, int pass, int rounds)
    {
        var values = new double[rounds];
        for (int r = 0; r < rounds; r++) values[r] = times[algorithm, pass, r];
        Array.Sort(values);
        return values[rounds / 2];
    }
}
