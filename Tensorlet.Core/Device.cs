using Tensorlet.Kernels;

namespace Tensorlet;

/// <summary>
/// Where a tensor's memory lives and whose kernels compute on it. Every op runs on the device of its
/// inputs; mixing devices is an error (data stays where it is computed — copies are explicit, via <c>To</c>).
/// GPU devices are created on first use (ILGPU probes the drivers then) and live for the process; asking for one
/// that is absent or unusable fails with what was found and why it does not qualify.
/// </summary>
public sealed partial class Device : IEquatable<Device>
{
    private static readonly Dictionary<string, Device> Created = new();
    private static readonly object Gate = new();

    private Device(string name, IBackend backend)
    {
        Name = name;
        Backend = backend;
    }

    static Device() => AppDomain.CurrentDomain.ProcessExit += (_, _) => DisposeGpuDevices();

    /// <summary>The host CPU (SIMD kernels, <see cref="Threads.Count"/> threads).</summary>
    public static Device Cpu { get; } = new("cpu", Backends.Cpu);

    /// <summary>
    /// The meta device, like PyTorch's: tensors with a shape but no storage, whose ops check shapes and compute
    /// nothing. Build a model under <c>using (Device.Meta.AsDefault())</c> to get its parameters, output shapes and
    /// FLOPs (<see cref="NN.Module.Summary"/>) without drawing weights or touching memory; reading its data fails.
    /// </summary>
    public static Device Meta { get; } = new("meta", Backends.Meta);

    /// <summary>True for <see cref="Meta"/>.</summary>
    public bool IsMeta => ReferenceEquals(this, Meta);

    /// <summary>NVIDIA GPU <paramref name="index"/> through ILGPU's CUDA backend (needs only the driver).</summary>
    public static Device Cuda(int index = 0) => GetOrCreate($"cuda:{index}", () => Backends.Cuda(index));

    /// <summary>OpenCL device <paramref name="index"/> among those ILGPU can use (OpenCL 2.0+, or 3.0 with the generic address space).</summary>
    public static Device OpenCL(int index = 0) => GetOrCreate($"opencl:{index}", () => Backends.OpenCL(index));

    /// <summary>
    /// ILGPU's CPU accelerator: the GPU kernels run on host threads, one simulated thread at a time. Slow; it exists so
    /// the GPU code path can be tested and debugged without a GPU.
    /// </summary>
    public static Device IlgpuCpu => GetOrCreate("ilgpu-cpu", Backends.IlgpuCpu);

    /// <summary>The first CUDA device, else the first usable OpenCL device, else the CPU.</summary>
    public static Device Best()
    {
        foreach (var candidate in new Func<Device>[] { () => Cuda(0), () => OpenCL(0) })
        {
            try { return candidate(); }
            catch (InvalidOperationException) { }
        }
        return Cpu;
    }

    /// <summary>
    /// The device named <paramref name="name"/>: <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>, <c>opencl</c>, <c>opencl:N</c>,
    /// <c>ilgpu-cpu</c> or <c>best</c> (the names of the CLI's <c>--device</c>).
    /// </summary>
    public static Device Parse(string name)
    {
        string n = name.Trim().ToLowerInvariant();
        var (kind, index) = n.Split(':') switch
        {
            [var k] => (k, 0),
            [var k, var i] when int.TryParse(i, out int v) && v >= 0 => (k, v),
            _ => throw new ArgumentException($"Device '{name}': expected cpu, cuda[:N], opencl[:N], ilgpu-cpu or best."),
        };
        return kind switch
        {
            "cpu" when index == 0 => Cpu,
            "cuda" => Cuda(index),
            "opencl" => OpenCL(index),
            "ilgpu-cpu" when index == 0 => IlgpuCpu,
            "best" when index == 0 => Best(),
            _ => throw new ArgumentException($"Device '{name}': expected cpu, cuda[:N], opencl[:N], ilgpu-cpu or best."),
        };
    }

    /// <summary>A short name: "cpu", "cuda:0", ...</summary>
    public string Name { get; }

    /// <summary>The kernels and memory pool behind this device.</summary>
    public IBackend Backend { get; }

    /// <summary>True for ILGPU devices (CUDA, OpenCL, the ILGPU CPU accelerator).</summary>
    public bool IsGpu => Backend.IsGpu;

    /// <summary>Waits for the device's queued work (a no-op on the CPU, whose kernels return when done).</summary>
    public void Synchronize() => Backend.Synchronize();

    public bool Equals(Device? other) => ReferenceEquals(this, other);
    public override bool Equals(object? obj) => obj is Device d && Equals(d);
    public override int GetHashCode() => Name.GetHashCode();
    public override string ToString() => Name;

    private static Device GetOrCreate(string name, Func<IBackend> create)
    {
        lock (Gate)
        {
            if (Created.TryGetValue(name, out var device)) return device;
            device = new Device(name, create());
            Created[name] = device;
            return device;
        }
    }

    // Deterministic release of accelerator memory and contexts at exit, before ILGPU's own finalisers run.
    private static void DisposeGpuDevices()
    {
        lock (Gate)
        {
            foreach (var device in Created.Values) device.Backend.Dispose();
            Created.Clear();
        }
    }
}
