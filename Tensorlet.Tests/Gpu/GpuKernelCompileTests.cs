using System.Reflection;
using ILGPU;
using ILGPU.Backends;
using ILGPU.Backends.OpenCL;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;
using Tensorlet.Kernels.Gpu;

namespace Tensorlet.Tests.Gpu;

/// <summary>
/// Compiles every kernel of the GPU backend (<see cref="GpuKernelCatalog"/>) with ILGPU's PTX backend for the data-centre
/// GPUs (sm_80, sm_90) and with its OpenCL C backend, without any device. The other GPU tests run the kernels on ILGPU's
/// CPU accelerator, which never invokes these code generators: an intrinsic or a construct that one target lacks only
/// shows up here (or on a user's GPU). Each target uses the oldest instruction set / OpenCL C version ILGPU accepts for
/// it, and an OpenCL device with nothing but the generic address space that <see cref="GpuDevices.Qualifies"/> demands.
/// </summary>
[TestFixture, Category("GpuCompile")]
public sealed class GpuKernelCompileTests
{
    /// <summary>A code generator and what its output must contain for one kernel.</summary>
    public sealed record Target(string Name, Func<Context, Backend> Create, Func<CompiledKernel, string> Code, string Marker)
    {
        public override string ToString() => Name;
    }

    // ILGPU picks the instruction set from the driver, so sm_80 is compiled with the oldest ISA it accepts for it and
    // sm_90 with the newest it knows. For both, ILGPU 1.5.3 emits `.target sm_80` (the lowest architecture with every
    // capability it uses; the driver compiles that PTX for the device), so the architecture changes the capabilities.
    public static readonly Target[] Targets =
    [
        Ptx(CudaArchitecture.SM_80, CudaInstructionSet.ISA_70),
        Ptx(CudaArchitecture.SM_90, CudaInstructionSet.ISA_88),
        OpenCL(CLCVersion.CL20),
        OpenCL(CLCVersion.CL30),
    ];

    private static Target Ptx(CudaArchitecture arch, CudaInstructionSet isa)
    {
        var capabilities = new CudaCapabilityContext(arch);
        string target = capabilities.TargetArchitecture.ToString().ToLowerInvariant();
        return new($"PTX {arch.ToString().ToLowerInvariant()} ISA {isa}", c => new PTXBackend(c, capabilities, arch, isa, nvvmAPI: null),
                   k => ((PTXCompiledKernel)k).PTXAssembly, $".target {target}");
    }

    private static Target OpenCL(CLCVersion version) =>
        new($"OpenCL C {version}",
            c => new CLBackend(c, new CLCapabilityContext(float16: false, float64: false, genericAddressSpace: true,
                                                           int64_Atomics: false, subGroups: false), CLDeviceVendor.Other, version),
            k => ((CLCompiledKernel)k).Source, "kernel void");

    private Context _context = null!;
    private readonly Dictionary<string, Backend> _backends = new();

    [OneTimeSetUp]
    public void CreateContext() => _context = Context.Create(b => GpuDevices.CompilerSettings(b));

    [OneTimeTearDown]
    public void Dispose()
    {
        foreach (var backend in _backends.Values) backend.Dispose();
        _context.Dispose();
    }

    public static IEnumerable<TestCaseData> Cases() =>
        from target in Targets
        from kernel in GpuKernelCatalog.Kernels
        select new TestCaseData(target, kernel).SetName($"Compiles({target.Name}, {GpuKernelCatalog.NameOf(kernel)})");

    [TestCaseSource(nameof(Cases))]
    public void Compiles(Target target, MethodInfo kernel)
    {
        if (!_backends.TryGetValue(target.Name, out var backend)) _backends[target.Name] = backend = target.Create(_context);
        CompiledKernel compiled;
        try
        {
            compiled = backend.Compile(GpuKernelCatalog.Describe(kernel), KernelSpecialization.Empty);
        }
        catch (Exception e)
        {
            Assert.Fail($"{GpuKernelCatalog.NameOf(kernel)} does not compile for {target.Name}: {e.GetType().Name}: {e.Message}" +
                        (e.InnerException == null ? "" : $" ({e.InnerException.Message})"));
            return;
        }
        string code = target.Code(compiled);
        Assert.That(code, Does.Contain(target.Marker), $"{GpuKernelCatalog.NameOf(kernel)} for {target.Name}: no kernel in the output");
    }
}
