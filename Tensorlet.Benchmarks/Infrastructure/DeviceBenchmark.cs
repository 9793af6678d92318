using BenchmarkDotNet.Attributes;
using Tensorlet.Kernels;

namespace Tensorlet.Benchmarks.Infrastructure;

/// <summary>
/// A benchmark whose non-reference cases run on a backend: holds the backend and the device buffers its setup
/// allocates, and frees the buffers when the case ends, so one case's device memory never crowds the next.
/// </summary>
public abstract class DeviceBenchmark
{
    /// <summary>The backend of the current case; null for the reference loops.</summary>
    protected IBackend? Backend { get; set; }

    /// <summary>The device buffers the setup allocated, in the order the subclass documents.</summary>
    protected DeviceBuffer[] Buffers { get; set; } = [];

    /// <summary>Frees the case's device buffers.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var b in Buffers) b.Dispose();
        Buffers = [];
    }

    /// <summary>Splits a parameter such as "64x10" into its two numbers.</summary>
    protected static (int First, int Second) ParsePair(string text)
    {
        var parts = text.Split('x');
        return (int.Parse(parts[0]), int.Parse(parts[1]));
    }
}
