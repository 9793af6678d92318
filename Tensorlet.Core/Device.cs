using Tensorlet.Kernels;
using Tensorlet.Kernels.Cpu;

namespace Tensorlet;

/// <summary>
/// Where a tensor's memory lives and whose kernels compute on it. Every op runs on the device of its
/// inputs; mixing devices is an error (data stays where it is computed — copies are explicit, via <c>To</c>).
/// </summary>
public sealed class Device : IEquatable<Device>
{
    private Device(string name, IBackend backend)
    {
        Name = name;
        Backend = backend;
    }

    /// <summary>The host CPU (SIMD kernels, <see cref="Threads.Count"/> threads).</summary>
    public static Device Cpu { get; } = new("cpu", CpuBackend.Instance);

    /// <summary>A short name: "cpu", "cuda:0", ...</summary>
    public string Name { get; }

    /// <summary>The kernels and memory pool behind this device.</summary>
    public IBackend Backend { get; }

    public bool Equals(Device? other) => ReferenceEquals(this, other);
    public override bool Equals(object? obj) => obj is Device d && Equals(d);
    public override int GetHashCode() => Name.GetHashCode();
    public override string ToString() => Name;
}
