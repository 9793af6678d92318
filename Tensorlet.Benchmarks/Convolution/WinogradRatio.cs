using System.Diagnostics;
using Tensorlet.Kernels.Cpu;

namespace Tensorlet.Benchmarks.Convolution;

/// <summary>
/// <c>winograd-ratio [rounds] [layers]</c>: im2col against Winograd on layers b, c, d (or a comma-separated list of
/// <see cref="ConvLayers"/> names) at batch 64, 2 threads, alternating the two algorithms call by call in one process,
/// so both see the same machine even when other work comes and goes. Prints the median time of each pass (forward,
/// input gradient, weight gradient, and their sum) and the ratio of the medians; it is the ratio to read.
/// </summary>
public static class WinogradRatio
{
    private const int Batch = 64, Warmup = 30;

    public static int Run(string[] args)
    {
        int rounds = 15;
        if (args.Length > 2 || args.Length > 0 && (!int.TryParse(args[0], out rounds) || rounds < 1))
        {
            Console.Error.WriteLine($"winograd-ratio: expected a positive number of rounds and optionally layers, got '{string.Join(' ', args)}'; " +
                                    "usage: winograd-ratio [rounds] [b,c,d]");
            return 2;
        }
        string[] layers = args.Length > 1 ? args[1].Split(',') : ["b", "c", "d"];
        Threads.Count = 2;
        var saved = CpuConvolution.Algorithm;
        try
        {
            foreach (var layer in layers) Measure(layer, rounds);
        }
        finally { CpuConvolution.Algorithm = saved; }
        return 0;
    }

    private static void Measure(string layer, int rounds)
    {
        using var buffers = new ConvBuffers(ConvLayers.Geometry(layer, Batch));
        Action[] passes = [buffers.Forward, buffers.BackwardInput, buffers.BackwardWeight];
        string[] names = ["forward", "input grad", "weight grad", "all three"];
        ConvAlgorithms[] algorithms = [ConvAlgorithms.Im2col, ConvAlgorithms.Winograd];
        var times = new double[algorithms.Length, names.Length, rounds];
        // Enough calls for the JIT to reach its optimised code before anything is timed.
        foreach (var algorithm in algorithms)
        {
            CpuConvolution.Algorithm = algorithm;
            for (int i = 0; i < Warmup; i++) foreach (var pass in passes) pass();
        }
        var clock = new Stopwatch();
        for (int r = 0; r < rounds; r++)
        for (int a = 0; a < algorithms.Length; a++)
        {
            CpuConvolution.Algorithm = algorithms[a];
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
            double im2col = Median(times, 0, p, rounds), winograd = Median(times, 1, p, rounds);
            Console.WriteLine($"{layer,-10} {names[p],-12} im2col {im2col,8:F2} ms   winograd {winograd,8:F2} ms   im2col/winograd {im2col / winograd:F2}");
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
