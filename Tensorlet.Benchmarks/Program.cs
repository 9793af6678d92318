using BenchmarkDotNet.Running;

namespace Tensorlet.Benchmarks;

/// <summary>
/// Entry point: pick suites with BenchmarkDotNet's usual arguments (--filter, --job, --list); <c>soak</c> runs the
/// memory soak (<see cref="Soak.MemorySoak"/>) instead, which watches memory over a long run rather than timing;
/// <c>winograd-ratio</c> times Winograd against im2col in one process, <c>direct-ratio</c> the direct weight gradient
/// against im2col (<see cref="Convolution.RouteRatio"/>).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "soak") return Soak.MemorySoak.Run(args[1..]);
        if (args.Length > 0 && args[0] == "winograd-ratio") return Convolution.RouteRatio.Run(args[1..], direct: false);
        if (args.Length > 0 && args[0] == "direct-ratio") return Convolution.RouteRatio.Run(args[1..], direct: true);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
