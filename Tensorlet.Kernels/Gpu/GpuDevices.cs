using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;

namespace Tensorlet.Kernels.Gpu;

/// <summary>
/// Finds ILGPU accelerators and builds backends on them. The ILGPU context is created on first use (it probes the CUDA
/// and OpenCL drivers, which takes a moment) and lives for the process. Every failure says what was found and why it
/// does not qualify, so a user can fix the set-up: a missing driver, a missing <c>libOpenCL.so</c>, an OpenCL device
/// without the generic address space that ILGPU's OpenCL backend needs.
/// </summary>
public static class GpuDevices
{
    private static readonly Lazy<Context> SharedContext = new(() => Starting(() =>
        // OpenCL(d => true) lists every OpenCL device, capable or not, so refusals can say why.
        Context.Create(builder => builder.CPU().Cuda().OpenCL(_ => true).EnableAlgorithms().Optimize(OptimizationLevel.O1))));

    /// <summary>The process-wide ILGPU context.</summary>
    public static Context Context => SharedContext.Value;

    /// <summary>A backend on CUDA device <paramref name="index"/>.</summary>
    public static GpuBackend Cuda(int index = 0)
    {
        var devices = List(Context.GetCudaDevices());
        if (devices.Count == 0)
            throw new InvalidOperationException(
                "Device cuda: no CUDA device found (ILGPU looks for the NVIDIA driver's libcuda; none was loaded or it reported no devices). " +
                Found());
        if (index < 0 || index >= devices.Count)
            throw new ArgumentOutOfRangeException(nameof(index), index,
                $"Device cuda:{index}: there are {devices.Count} CUDA devices ({string.Join(", ", devices.Select((d, i) => $"cuda:{i} {d.Name}"))}).");
        return Starting(() => new GpuBackend(devices[index].CreateAccelerator(Context), $"cuda:{index}"));
    }

    /// <summary>A backend on OpenCL device <paramref name="index"/> among the devices ILGPU can use.</summary>
    public static GpuBackend OpenCL(int index = 0)
    {
        var all = List(Context.GetCLDevices());
        var capable = all.Where(Qualifies).ToList();
        if (capable.Count == 0)
        {
            if (all.Count == 0)
                throw new InvalidOperationException(
                    "Device opencl: no OpenCL device found. ILGPU loads libOpenCL.so (on Debian/Ubuntu: apt install ocl-icd-opencl-dev) " +
                    "and needs an installed OpenCL driver (ICD) that lists a device. " + Found());
            throw new InvalidOperationException(
                "Device opencl: no usable OpenCL device. ILGPU's OpenCL backend needs OpenCL 2.0+, or OpenCL 3.0 with the generic " +
                "address space; found: " + string.Join("; ", all.Select(Describe)) + ".");
        }
        if (index < 0 || index >= capable.Count)
            throw new ArgumentOutOfRangeException(nameof(index), index,
                $"Device opencl:{index}: there are {capable.Count} usable OpenCL devices ({string.Join(", ", capable.Select((d, i) => $"opencl:{i} {d.Name}"))}).");
        return Starting(() => new GpuBackend(capable[index].CreateAccelerator(Context), $"opencl:{index}"));
    }

    /// <summary>
    /// A backend on ILGPU's CPU accelerator: the GPU kernels run, group by group, on host threads. Slow (it simulates
    /// each thread of a group), but it runs every kernel without a GPU, which is how CI tests them.
    /// </summary>
    public static GpuBackend IlgpuCpu() => Starting(() => new GpuBackend(Context.GetCPUDevice(0).CreateAccelerator(Context), "ilgpu-cpu"));

    /// <summary>
    /// The exception to show for a failure to start ILGPU: one that says how to fix it when the cause is known, else
    /// <paramref name="e"/> itself. Known: no dynamic code. ILGPU generates code at run time, and .NET 10 file-based
    /// programs (<c>dotnet run file.cs</c>) default to PublishAot, which turns dynamic code off, so ILGPU fails with
    /// "PlatformNotSupportedException: Dynamic code generation is not supported".
    /// </summary>
    public static Exception Explain(Exception e)
    {
        for (var inner = e; inner != null; inner = inner.InnerException)
            if (inner is PlatformNotSupportedException && inner.Message.Contains("Dynamic code", StringComparison.OrdinalIgnoreCase))
                return new InvalidOperationException(
                    "ILGPU cannot start: this program runs with dynamic code turned off (PublishAot, the default for a .NET 10 " +
                    "file-based program run with 'dotnet run file.cs'), and ILGPU compiles its kernels at run time. Add the line " +
                    "'#:property PublishAot=false' at the top of the program (in a project: <PublishAot>false</PublishAot>). " +
                    $"The original error: {inner.GetType().Name}: {inner.Message}", e);
        return e;
    }

    private static T Starting<T>(Func<T> start)
    {
        try { return start(); }
        catch (Exception e) when (Explain(e) != e) { throw Explain(e); }
    }

    /// <summary>True when ILGPU can compile for this OpenCL device.</summary>
    public static bool Qualifies(CLDevice device) => device.Capabilities.GenericAddressSpace;

    /// <summary>Every GPU ILGPU sees, with whether it can be used (for error messages and <c>selftest</c>).</summary>
    public static string Found()
    {
        var cuda = List(Context.GetCudaDevices()).Select((d, i) => $"cuda:{i} {d.Name}");
        var cl = List(Context.GetCLDevices()).Select(Describe);
        var all = cuda.Concat(cl).ToList();
        return all.Count == 0 ? "ILGPU found no CUDA or OpenCL device." : "ILGPU found: " + string.Join("; ", all) + ".";
    }

    // ILGPU's device collections are enumerable but not IEnumerable<T>.
    private static List<T> List<T>(Context.DeviceCollection<T> devices) where T : ILGPU.Runtime.Device
    {
        var list = new List<T>();
        foreach (var d in devices) list.Add(d);
        return list;
    }

    private static string Describe(CLDevice d) =>
        $"'{d.Name}' ({d.Vendor}, {d.DeviceVersion}, OpenCL C {d.CLStdVersion}): " +
        (Qualifies(d) ? "usable" : "refused: it lacks the generic address space ILGPU's OpenCL backend needs");
}
