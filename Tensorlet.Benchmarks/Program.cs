using BenchmarkDotNet.Running;

namespace Tensorlet.Benchmarks;

/// <summary>Entry point: pick suites with BenchmarkDotNet's usual arguments (--filter, --job, --list).</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
