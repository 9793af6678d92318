using System.Reflection;
using System.Reflection.Emit;
using ILGPU.Runtime;
using Tensorlet.Kernels.Gpu;

namespace Tensorlet.Tests.Gpu;

/// <summary>
/// Keeps <see cref="GpuKernelCatalog"/> (what the compile test compiles) equal to the kernels the GPU backend really
/// loads. A kernel is found two ways: a static method of <c>Tensorlet.Kernels.Gpu</c> whose delegate is made in a method
/// that calls an ILGPU <c>Load…Kernel</c> (read from the IL), and, by the folder's naming convention, any static void
/// method there named <c>…Kernel</c>. Each must be in the catalog, and each catalog entry must be one the backend loads.
/// </summary>
[TestFixture, Category("GpuCompile")]
public sealed class GpuKernelCatalogTests
{
    private const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance |
                                     BindingFlags.DeclaredOnly;

    private static readonly string GpuNamespace = typeof(GpuBackend).Namespace!;

    private static IEnumerable<Type> GpuTypes() =>
        typeof(GpuBackend).Assembly.GetTypes().Where(t => t.Namespace == GpuNamespace);

    private static IEnumerable<MethodBase> Bodies(Type t) =>
        t.GetMethods(All).Cast<MethodBase>().Concat(t.GetConstructors(All));

    private static bool IsLoader(MethodBase m) =>
        m.DeclaringType?.Assembly == typeof(Accelerator).Assembly && m.Name.StartsWith("Load") && m.Name.EndsWith("Kernel");

    /// <summary>Static methods of the GPU folder whose delegates are made next to a call that loads a kernel.</summary>
    private static HashSet<MethodInfo> Loaded() =>
    [
        .. from type in GpuTypes()
           from body in Bodies(type)
           let refs = MethodBodyReferences.Of(body).ToList()
           where refs.Any(r => IsLoader(r.Target))
           from r in refs
           where r.Code == OpCodes.Ldftn && r.Target is MethodInfo { IsStatic: true } mi && mi.DeclaringType?.Namespace == GpuNamespace
           select (MethodInfo)r.Target,
    ];

    private static IEnumerable<MethodInfo> NamedAsKernels() =>
        from type in GpuTypes()
        from m in type.GetMethods(All)
        where m.IsStatic && m.ReturnType == typeof(void) && m.Name.EndsWith("Kernel")
        select m;

    // A generic kernel (one per element-wise op) is loaded as an open instantiation and catalogued once per op; both sides
    // are compared by the generic definition.
    private static MethodInfo Definition(MethodInfo m) => m.IsGenericMethod ? m.GetGenericMethodDefinition() : m;

    [Test]
    public void EveryLoadedKernelIsCompiledByTheCompileTest()
    {
        var catalog = GpuKernelCatalog.Kernels.Select(Definition).ToHashSet();
        var missing = Loaded().Concat(NamedAsKernels()).Select(Definition).Where(k => !catalog.Contains(k)).Distinct()
                              .Select(GpuKernelCatalog.NameOf).Order().ToList();
        Assert.That(missing, Is.Empty,
            "kernels of Tensorlet.Kernels/Gpu that the GPU compile test does not compile; add each to its class's EntryPoints " +
            "(and a new class's EntryPoints to GpuKernelCatalog): " + string.Join(", ", missing));
    }

    [Test]
    public void EveryCatalogEntryIsLoadedByTheBackend()
    {
        var loaded = Loaded().Select(Definition).ToHashSet();
        var stale = GpuKernelCatalog.Kernels.Where(k => !loaded.Contains(Definition(k))).Select(GpuKernelCatalog.NameOf).ToList();
        Assert.That(stale, Is.Empty, "catalog entries no GPU kernel class loads: " + string.Join(", ", stale));
        Assert.That(GpuKernelCatalog.Kernels, Is.Unique, "a kernel is listed twice");
    }
}
